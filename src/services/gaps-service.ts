import { buildGaps, type CoverageGaps, DEFAULT_TOP_GAPS, gapWindow } from '../domain/gaps.ts';
import type { ProgramRules } from '../domain/program-rules.ts';
import { NotAllowedError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import type { GapsStore } from '../store/gaps-store.ts';
import type { Actor } from './requests/index.ts';

export const GAPS_ARE_FOR_MANAGERS =
  'Coverage gaps are for reference managers. Ask a reference manager if you need to know where the program is short.';

export interface GapsServiceDeps {
  db: Db;
  store: GapsStore;
  rules: ProgramRules;
  now: () => Date;
}

/** Coverage gaps: the open pipeline's segments held against the references that could serve them. */
export class GapsService {
  constructor(private readonly deps: GapsServiceDeps) {}

  authorize(actor: Actor): void {
    if (!actor.isManager) throw new NotAllowedError(GAPS_ARE_FOR_MANAGERS);
  }

  /** The top `top` gaps for a reference manager; a NotAllowedError for anyone else. */
  async gaps(actor: Actor, now?: Date, top = DEFAULT_TOP_GAPS): Promise<CoverageGaps> {
    this.authorize(actor);
    return this.programGaps(now, top);
  }

  /** The same for refdesk's own use (the managers' Home, exports): nobody's role to check. */
  async programGaps(now = this.deps.now(), top = DEFAULT_TOP_GAPS): Promise<CoverageGaps> {
    const { db, store, rules } = this.deps;
    const facts = await store.facts(db, gapWindow(now, rules), rules);
    return buildGaps(facts, now, top);
  }
}
