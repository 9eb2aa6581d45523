import type { Db } from './database.ts';

const USERS = 'slack_users';

/** What refdesk remembers about Slack users: their time zone, for dates and business days. */
export class UserStore {
  async get(db: Db, id: string): Promise<{ tz: string | null; fetchedAt: string } | null> {
    const row = (await db(USERS).where({ id }).first()) as
      | { tz: string | null; fetched_at: string }
      | undefined;
    return row ? { tz: row.tz, fetchedAt: row.fetched_at } : null;
  }

  /** The known time zones of these users (null: known to have none); users never fetched are missing. */
  async zonesOf(db: Db, ids: readonly string[]): Promise<Map<string, string | null>> {
    const zones = new Map<string, string | null>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = (await db(USERS)
        .whereIn('id', ids.slice(i, i + 500))
        .select('id', 'tz')) as { id: string; tz: string | null }[];
      for (const row of rows) zones.set(row.id, row.tz);
    }
    return zones;
  }

  async save(db: Db, id: string, tz: string | null, at: string): Promise<void> {
    await db(USERS).insert({ id, tz, fetched_at: at }).onConflict('id').merge(['tz', 'fetched_at']);
  }
}
