import type { OutgoingNotification } from '../domain/notifications';
import type { Db } from '../store/database';
import type { OutboxStore } from '../store/outbox-store';
import type { RevisionName, RevisionStore } from '../store/revision-store';

export type Notify = (item: OutgoingNotification) => void;

/**
 * One state change, all or nothing: the work, the messages it owes (into the outbox) and the
 * revision bumps that tell every in-memory index to reload, in a single transaction. The
 * delivery worker is woken once it has committed.
 */
export class UnitOfWork {
  constructor(
    private readonly db: Db,
    private readonly outbox: OutboxStore,
    private readonly revisions: RevisionStore,
    private readonly now: () => Date,
    private readonly onNotified: () => void = () => undefined,
  ) {}

  async run<T>(changes: readonly RevisionName[], work: (trx: Db, notify: Notify) => Promise<T>): Promise<T> {
    const queued: OutgoingNotification[] = [];
    const result = await this.db.transaction(async (trx) => {
      const value = await work(trx, (item) => queued.push(item));
      await this.outbox.enqueue(trx, queued, this.now().toISOString());
      for (const name of changes) await this.revisions.bump(trx, name);
      return value;
    });
    if (queued.length > 0) this.onNotified();
    return result;
  }
}
