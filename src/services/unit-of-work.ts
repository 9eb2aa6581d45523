import { subDays } from 'date-fns';
import { conversationKey, type OutgoingNotification } from '../domain/notifications.ts';
import type { Db } from '../store/database.ts';
import type { HomeViewStore } from '../store/event-store.ts';
import type { OutboxStore } from '../store/outbox-store.ts';
import { REVISION_NAMES, type RevisionName, type RevisionStore } from '../store/revision-store.ts';

export type Notify = (item: OutgoingNotification) => void;

/** Whose App Homes show what a change changed: these people's, and the managers' (their queue). */
export interface HomeAudience {
  users?: readonly (string | null | undefined)[];
  managers?: boolean;
}
export type RefreshHomes = (audience: HomeAudience) => void;
/** Re-render these requests' cards; a card already waiting to be re-rendered is not queued twice. */
export type RefreshCards = (requestIds: readonly number[]) => void;

/** Homes opened within this many days are kept fresh. */
export const HOME_WATCH_DAYS = 14;

/**
 * One state change, all or nothing: the work, the messages it owes (into the outbox), the Homes
 * it changes and the revision bumps that tell every in-memory index to reload, in a single
 * transaction. The delivery worker is woken once it has committed.
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

  /** `changes` names the revisions to bump, or decides them from the work's result. */
  async run<T>(
    changes: readonly RevisionName[] | ((result: T) => readonly RevisionName[]),
    work: (trx: Db, notify: Notify, refreshHomes: RefreshHomes, refreshCards: RefreshCards) => Promise<T>,
  ): Promise<T> {
    const queued: OutgoingNotification[] = [];
    const users = new Set<string>();
    const cards = new Set<number>();
    let managers = false;
    const result = await this.db.transaction(async (trx) => {
      const value = await work(
        trx,
        (item) => queued.push(item),
        (audience) => {
          for (const user of audience.users ?? []) if (user) users.add(user);
          managers ||= audience.managers === true;
        },
        (requestIds) => {
          for (const id of requestIds) cards.add(id);
        },
      );
      queued.push(...(await this.cardRefreshes(trx, [...cards])));
      queued.push(...(await this.homeRefreshes(trx, [...users], managers)));
      await this.outbox.enqueue(trx, queued, this.now().toISOString());
      const bumped = new Set(typeof changes === 'function' ? changes(value) : changes);
      // In one order everywhere, so two transactions never wait on each other's counters.
      for (const name of REVISION_NAMES) if (bumped.has(name)) await this.revisions.bump(trx, name);
      return value;
    });
    if (queued.length > 0) this.onNotified();
    return result;
  }

  /**
   * A card renders the request as it is when it is sent, so one waiting to be sent covers this change
   * too: under a burst of approvals each undecided card is re-rendered once, not once per approval.
   */
  private async cardRefreshes(trx: Db, requestIds: number[]): Promise<OutgoingNotification[]> {
    const refreshes: OutgoingNotification[] = requestIds.map((requestId) => ({
      to: 'managers',
      notification: { type: 'request_card', requestId },
    }));
    const keyOf = (r: OutgoingNotification) => conversationKey(r.to, r.notification);
    const waiting = new Set(await this.outbox.pendingOfKind(trx, 'request_card', refreshes.map(keyOf)));
    return refreshes.filter((r) => !waiting.has(keyOf(r)));
  }

  /**
   * Re-renders the Homes of those who look at theirs (for the managers: if anybody looks at a Home
   * at all), unless a refresh is already waiting for them: it will render the latest state anyway.
   */
  private async homeRefreshes(trx: Db, users: string[], managers: boolean): Promise<OutgoingNotification[]> {
    if (users.length === 0 && !managers) return [];
    const since = subDays(this.now(), HOME_WATCH_DAYS).toISOString();
    const refreshes: OutgoingNotification[] = (await this.homes.watching(trx, users, since)).map((user) => ({
      to: { user },
      notification: { type: 'home_refresh', userId: user },
    }));
    if (managers && (await this.homes.watchingSince(trx, since)).length > 0) {
      refreshes.push({ to: 'managers', notification: { type: 'managers_home_refresh' } });
    }
    const keys = (kind: string) =>
      refreshes.filter((r) => r.notification.type === kind).map((r) => conversationKey(r.to, r.notification));
    const waiting = new Set([
      ...(await this.outbox.pendingOfKind(trx, 'home_refresh', keys('home_refresh'))),
      ...(await this.outbox.pendingOfKind(trx, 'managers_home_refresh', keys('managers_home_refresh'))),
    ]);
    return refreshes.filter((r) => !waiting.has(conversationKey(r.to, r.notification)));
  }
}
