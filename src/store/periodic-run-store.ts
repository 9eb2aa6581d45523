import { type Db, dbClock } from './database.ts';

const RUNS = 'periodic_runs';
const NEVER = '1970-01-01T00:00:00.000Z';

/**
 * Tickets for periodic work: of the replicas whose timers fire for one tick, exactly one claims
 * it (a conditional update on one row, on the database's clock; on PostgreSQL a second claimer
 * waits for the first's row lock and then sees the new time). Works on SQLite alike.
 */
export class PeriodicRunStore {
  /** True when this caller runs `name` now: nobody ran it within the last `everyMs` (less a tenth for timer drift). */
  async claim(db: Db, name: string, everyMs: number): Promise<boolean> {
    await db(RUNS).insert({ name, last_run_at: NEVER }).onConflict('name').ignore();
    const claimed = await db(RUNS)
      .where({ name })
      .whereRaw(`last_run_at <= ${dbClock(db, -everyMs * 0.9)}`)
      .update({ last_run_at: db.raw(dbClock(db)) });
    return claimed === 1;
  }
}
