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

  async save(db: Db, id: string, tz: string | null, at: string): Promise<void> {
    await db(USERS).insert({ id, tz, fetched_at: at }).onConflict('id').merge(['tz', 'fetched_at']);
  }
}
