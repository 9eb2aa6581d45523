import { type Db, deleteInBatches } from './database.ts';

const EVENTS = 'processed_events';

/** Events API deliveries already handled, by event_id: Slack redelivers when it is unsure. */
export class EventStore {
  /** Records the event; false when it was recorded before (a redelivery). */
  async claim(db: Db, eventId: string, at: string): Promise<boolean> {
    const inserted = (await db(EVENTS)
      .insert({ event_id: eventId, received_at: at })
      .onConflict('event_id')
      .ignore()
      .returning('event_id')) as unknown[];
    return inserted.length === 1;
  }

  /** Forgets event ids received before `before`, `batch` a statement; returns how many. */
  async pruneBefore(db: Db, before: string, batch = 500): Promise<number> {
    return deleteInBatches(db, EVENTS, 'event_id', (q) => q.where('received_at', '<', before), batch);
  }
}

const HOME = 'home_views';

/** Who opened their App Home and when: their Home is kept fresh when something of theirs changes. */
export class HomeViewStore {
  async opened(db: Db, userId: string, at: string): Promise<void> {
    await db(HOME).insert({ user_id: userId, opened_at: at }).onConflict('user_id').merge(['opened_at']);
  }

  async watchingSince(db: Db, since: string): Promise<string[]> {
    const rows = (await db(HOME).where('opened_at', '>=', since).select('user_id')) as { user_id: string }[];
    return rows.map((r) => r.user_id);
  }

  /** Of these users, those who have opened their Home since `since`. */
  async watching(db: Db, userIds: readonly string[], since: string): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = (await db(HOME)
      .whereIn('user_id', [...userIds])
      .where('opened_at', '>=', since)
      .select('user_id')) as {
      user_id: string;
    }[];
    return rows.map((r) => r.user_id);
  }
}
