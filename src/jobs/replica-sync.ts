import type { Logger } from '@slack/bolt';
import type { Db } from '../store/database.ts';
import type { RevisionName, RevisionStore, Revisions } from '../store/revision-store.ts';

/**
 * Keeps what each replica caches in step with the others: a change one replica hears about (the
 * managers' channel changed) is a counter bumped in the database, and every replica reads the
 * counters every `intervalMs` and drops what went stale. After the database was out of reach,
 * every cache is dropped: what changed meanwhile is unknown.
 */
export class ReplicaSync {
  private timer: NodeJS.Timeout | null = null;
  private seen: Revisions | null = null;
  private unreachable = false;
  private readonly listeners = new Map<RevisionName, (() => void)[]>();
  private readonly reconnectListeners: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly revisions: RevisionStore,
    private readonly logger: Logger,
    private readonly intervalMs = 2_000,
  ) {}

  /** Calls `listener` on this replica whenever any replica reports a change of `name`. */
  onChange(name: RevisionName, listener: () => void): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }

  /** Calls `listener` when the database answers again after it did not. */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  /** Tells every replica (this one at once) that `name` changed. */
  async changed(name: RevisionName): Promise<void> {
    for (const listener of this.listeners.get(name) ?? []) listener();
    await this.revisions.bump(this.db, name);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
    void this.poll();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async poll(): Promise<void> {
    let now: Revisions;
    try {
      now = await this.revisions.read(this.db);
    } catch (error) {
      if (!this.unreachable) this.logger.warn(`the database did not answer: ${(error as Error).message}`);
      this.unreachable = true;
      return;
    }
    if (this.unreachable) {
      this.unreachable = false;
      this.logger.info('the database answers again: cached managers and directory are read anew');
      for (const listener of this.reconnectListeners) listener();
    } else if (this.seen) {
      for (const [name, listeners] of this.listeners) {
        if (now[name] !== this.seen[name]) for (const listener of listeners) listener();
      }
    }
    this.seen = now;
  }
}
