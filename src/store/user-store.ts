import type { Db } from './database.ts';
import { readInChunks } from './read-in-chunks.ts';

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
    const rows = await readInChunks(
      ids,
      (part) =>
        db(USERS).whereIn('id', part).select('id', 'tz') as Promise<{ id: string; tz: string | null }[]>,
    );
    return new Map(rows.map((row) => [row.id, row.tz]));
  }

  async save(db: Db, id: string, tz: string | null, at: string): Promise<void> {
    await db(USERS).insert({ id, tz, fetched_at: at }).onConflict('id').merge(['tz', 'fetched_at']);
  }
}
