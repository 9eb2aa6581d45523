import type { Db } from './database.ts';

const DIGESTS = 'weekly_digests';

/** Requests submitted on one day in one status: what the weekly chart is counted from. */
export interface DayOfAsks {
  day: string;
  status: string;
  asks: number;
}

/** Which weekly digests were queued, and the few figures of the digest the program report has no table for. */
export class DigestStore {
  /** Records the digest of `sentOn`; false when it was recorded before (another replica, an earlier run). */
  async claim(db: Db, sentOn: string, at: string): Promise<boolean> {
    const inserted = (await db(DIGESTS)
      .insert({ sent_on: sentOn, queued_at: at })
      .onConflict('sent_on')
      .ignore()
      .returning('sent_on')) as unknown[];
    return inserted.length === 1;
  }

  /** Requests submitted from `from` to before `to` (ISO instants), counted per day and status. */
  async asksPerDay(db: Db, from: string, to: string): Promise<DayOfAsks[]> {
    const day = db.raw('substr(created_at, 1, 10)');
    const rows = (await db('reference_requests')
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .groupByRaw('substr(created_at, 1, 10), status')
      .select({ day, status: 'status' })
      .count({ asks: '*' })) as { day: string; status: string; asks: number | string }[];
    return rows.map((r) => ({ day: r.day, status: r.status, asks: Number(r.asks) }));
  }

  /** Nominations still waiting for a decision that came in before `before`. */
  async agingNominations(db: Db, before: string): Promise<number> {
    const row = (await db('nominations')
      .where({ status: 'pending' })
      .where('created_at', '<', before)
      .count({ n: '*' })
      .first()) as { n: number | string } | undefined;
    return Number(row?.n ?? 0);
  }
}
