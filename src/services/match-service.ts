import { localDate } from '../domain/dates.ts';
import {
  assessContact,
  isAvailable,
  type MatchCandidate,
  type MatchCriteria,
  type MatchResult,
  orderByFit,
  rankContacts,
  type Suggestion,
} from '../domain/matching.ts';
import type { ContactUsage } from '../domain/program-rules.ts';
import type { Db } from '../store/database.ts';
import type { DirectorySnapshotStore } from '../store/directory-snapshot-store.ts';
import { prospectKey } from '../store/request-store.ts';
import type { DirectoryIndex, IndexedContact } from './directory-index.ts';

/** The criteria of a stored request or a draft, as the matcher reads them. */
export function criteriaOf(r: {
  activity: MatchCriteria['activity'];
  industry: string | null;
  products: readonly string[];
  region: string | null;
  companySize: string | null;
  seniority: MatchCriteria['seniority'];
  prospect: string | null;
}): MatchCriteria {
  return {
    activity: r.activity,
    industry: r.industry,
    products: r.products,
    region: r.region,
    companySize: r.companySize,
    seniority: r.seniority,
    prospect: r.prospect,
  };
}

const textFilter = (text: string) => {
  const needle = text.trim().toLowerCase().slice(0, 100);
  return (c: IndexedContact) => needle === '' || c.search.includes(needle);
};

/** Finds the right contacts for a request, from the in-memory directory index. */
export class MatchService {
  constructor(
    private readonly db: Db,
    private readonly index: DirectoryIndex,
    private readonly snapshots: DirectorySnapshotStore,
    private readonly now: () => Date,
  ) {}

  /** Reads the whole index again on its next use (after the database was out of reach). */
  forget(): void {
    this.index.forget();
  }

  /** Loads the index ahead of the first request. */
  warm(): Promise<void> {
    return this.index.refresh();
  }

  /** The best contacts for these criteria, with why, what is not ideal, and which filter emptied the list. */
  async suggest(criteria: MatchCriteria, limit = 10): Promise<MatchResult> {
    const { wanted, ctx } = await this.prepare(criteria);
    return rankContacts(wanted, ctx, limit);
  }

  /** Active contacts whose person or account name contains `text`, ordered by fit for the criteria. */
  async typeahead(criteria: MatchCriteria, text: string, limit: number): Promise<Suggestion[]> {
    const { wanted, ctx } = await this.prepare(criteria);
    return orderByFit(wanted, ctx, textFilter(text) as (c: MatchCandidate) => boolean, limit);
  }

  /** Contacts by typed text without a request to fit, by name: for the directory's own search. */
  async search(text: string, limit: number, opts: { activeOnly: boolean }): Promise<IndexedContact[]> {
    await this.index.refresh();
    const matches = textFilter(text);
    const today = localDate(this.now(), 'UTC');
    const found: IndexedContact[] = [];
    for (const c of this.index.byName()) {
      if (found.length === limit) break;
      if ((!opts.activeOnly || isAvailable(c, today)) && matches(c)) found.push(c);
    }
    return found;
  }

  /**
   * The best `limit` contacts and how one chosen contact fits: reasons, warnings (collisions) and rule
   * violations (`chosenId`, else the best eligible match; none when `chosenId` is null), from one look at
   * the index.
   */
  async suggestFor(
    criteria: MatchCriteria,
    limit: number,
    chosenId: number | null | undefined,
  ): Promise<{ top: MatchResult; chosen: Suggestion | null }> {
    const { wanted, ctx } = await this.prepare(criteria);
    const top = rankContacts(wanted, ctx, limit);
    const id =
      chosenId === undefined ? (top.suggestions.find((s) => s.eligible)?.contact.id ?? null) : chosenId;
    const contact = id === null ? undefined : this.index.get(id);
    return { top, chosen: contact ? assessContact(wanted, ctx, contact) : null };
  }

  /** A fresh index, the matcher's context, and the criteria with strings shared with the index. */
  private async prepare(criteria: MatchCriteria) {
    const [, spoke] = await Promise.all([
      this.index.refresh(),
      criteria.prospect
        ? this.snapshots.spokeWithProspect(this.db, prospectKey(criteria.prospect))
        : new Set<number>(),
    ]);
    const i = this.index;
    const wanted: MatchCriteria = {
      ...criteria,
      industry: i.intern(criteria.industry),
      region: i.intern(criteria.region),
      companySize: i.intern(criteria.companySize),
      products: criteria.products.map((p) => i.intern(p)),
    };
    return { wanted, ctx: i.context(this.now(), spoke) };
  }

  /** Active contacts at or one ask away from a usage limit, most used first: for the managers' Home. */
  async nearLimits(limit: number): Promise<{ contact: MatchCandidate; usage: ContactUsage }[]> {
    await this.index.refresh();
    const ctx = this.index.context(this.now(), new Set());
    const rules = ctx.rules;
    const found: { contact: MatchCandidate; usage: ContactUsage }[] = [];
    for (const c of this.index.candidates()) {
      if (c.status !== 'active') continue;
      const usage = ctx.usage(c);
      if (
        usage.asksInWindow >= Math.max(1, rules.maxAsksPerContact - 1) ||
        usage.openAsks >= rules.maxOpenAsksPerContact
      ) {
        found.push({ contact: c, usage });
      }
    }
    return found
      .sort((a, b) => b.usage.asksInWindow - a.usage.asksInWindow || a.contact.id - b.contact.id)
      .slice(0, limit);
  }
}
