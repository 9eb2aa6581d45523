import { subDays } from 'date-fns';
import { homeKey, MANAGERS, type OutgoingNotification } from '../domain/notifications.ts';
import type { Db } from '../store/database.ts';
import type { HomeViewStore } from '../store/event-store.ts';
import type { OutboxStore } from '../store/outbox-store.ts';
import type { RevisionName, RevisionStore } from '../store/revision-store.ts';

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
    private readonly homes: HomeViewStore,
    private readonly now: () => Date,
    private readonly onNotified: () => void = () => undefined,
  ) {}

  /**
   * `changes` names the revisions to bump, or decides them from the work's result. `actorId` is who
   * made the change: their Home shows it too, even when nobody messages them about it.
   */
  async run<T>(
    changes: readonly RevisionName[] | ((result: T) => readonly RevisionName[]),
    work: (trx: Db, notify: Notify) => Promise<T>,
    actorId?: string,
  ): Promise<T> {
    const queued: OutgoingNotification[] = [];
    const result = await this.db.transaction(async (trx) => {
      const value = await work(trx, (item) => queued.push(item));
      queued.push(...(await this.homeRefreshes(trx, queued, actorId)));
      await this.outbox.enqueue(trx, queued, this.now().toISOString());
      for (const name of typeof changes === 'function' ? changes(value) : changes)
        await this.revisions.bump(trx, name);
      return value;
    });
    if (queued.length > 0) this.onNotified();
    return result;
  }

  /**
   * Everyone a change messages has something new on their App Home: re-render it for those
   * who look at theirs (and, for the managers' channel, the managers who do), unless a
   * refresh is already queued for them (it will render the latest state anyway).
   */
  private async homeRefreshes(
    trx: Db,
    queued: readonly OutgoingNotification[],
    actorId: string | undefined,
  ): Promise<OutgoingNotification[]> {
    const users = new Set<string>(actorId ? [actorId] : []);
    let managers = false;
    for (const { to, notification } of queued) {
      if (notification.type === 'home_refresh' || notification.type === 'delivery_failed') continue;
      if (to === 'managers') managers = true;
      else users.add(to.user);
    }
    if (users.size === 0 && !managers) return [];
    const since = subDays(this.now(), HOME_WATCH_DAYS).toISOString();
    const watching = await this.homes.watching(trx, [...users], since);
    // The managers' Homes follow the queue; worth a refresh only if somebody looks at a Home at all.
    const anyWatcher = managers && (await this.homes.watchingSince(trx, since)).length > 0;
    const keys = [...watching, ...(anyWatcher ? [MANAGERS] : [])];
    const pending = new Set(
      await this.outbox.pendingOfType(trx, 'home_refresh', keys.map(homeKey), this.now().toISOString()),
    );
    return keys
      .filter((key) => !pending.has(homeKey(key)))
      .map((key) => ({
        to: key === MANAGERS ? ('managers' as const) : { user: key },
        notification: { type: 'home_refresh' as const, userId: key },
      }));
  }
}

/** Homes opened within this many days are kept fresh. */
export const HOME_WATCH_DAYS = 14;
