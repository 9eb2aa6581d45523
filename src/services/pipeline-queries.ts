import { Expiring } from '../expiring.ts';
import type { Db } from '../store/database.ts';
import type { OpenOpportunity, PipelineStore } from '../store/pipeline-store.ts';

/** What the request form reads of the imported pipeline: whether there is one, and a rep's open deals. */
export class PipelineQueries {
  /** Whether a pipeline is loaded; kept 30 s because every request form asks. */
  private readonly isLoaded: Expiring<boolean>;

  constructor(
    private readonly db: Db,
    private readonly store: PipelineStore,
    now: () => Date = () => new Date(),
  ) {
    this.isLoaded = new Expiring(30_000, () => store.loaded(db), now);
  }

  loaded(): Promise<boolean> {
    return this.isLoaded.get();
  }

  /** The rep's open opportunities matching what they typed. */
  openOf(repId: string, text: string, limit: number): Promise<OpenOpportunity[]> {
    return this.store.openOf(this.db, repId, text, limit);
  }
}
