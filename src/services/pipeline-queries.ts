import type { Db } from '../store/database.ts';
import type { OpenOpportunity, PipelineStore } from '../store/pipeline-store.ts';

const LOADED_TTL_MS = 30_000;

/** What the request form reads of the imported pipeline: whether there is one, and a rep's open deals. */
export class PipelineQueries {
  private loadedCache: { at: number; value: Promise<boolean> } | null = null;

  constructor(
    private readonly db: Db,
    private readonly store: PipelineStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Whether a pipeline is loaded; kept briefly because every request form asks. */
  loaded(): Promise<boolean> {
    const at = this.now().getTime();
    if (!this.loadedCache || at - this.loadedCache.at > LOADED_TTL_MS) {
      const value = this.store.loaded(this.db);
      value.catch(() => {
        this.loadedCache = null;
      });
      this.loadedCache = { at, value };
    }
    return this.loadedCache.value;
  }

  /** The rep's open opportunities matching what they typed. */
  openOf(repId: string, text: string, limit: number): Promise<OpenOpportunity[]> {
    return this.store.openOf(this.db, repId, text, limit);
  }
}
