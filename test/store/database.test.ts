import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../support/test-database.ts';
import { openTempDatabase, type TempDatabase } from './temp-database.ts';

describe('a database connection', () => {
  let temp: TempDatabase;
  beforeAll(async () => {
    temp = await openTempDatabase();
  });
  afterAll(() => temp?.close());

  // JIT compiled the coverage gaps' supply query for 1.3 of its 1.65 s: every connection turns it off.
  it.runIf(onPostgres)('has PostgreSQL JIT off on every connection of the pool', async () => {
    const settings = await Promise.all(
      Array.from({ length: 3 }, () =>
        temp.db.transaction(
          async (trx) => ((await trx.raw('show jit')) as { rows: { jit: string }[] }).rows[0]!.jit,
        ),
      ),
    );
    expect(settings).toEqual(['off', 'off', 'off']);
  });

  it.runIf(!onPostgres)('has SQLite in WAL mode with foreign keys on', async () => {
    expect(await temp.db.raw('pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await temp.db.raw('pragma foreign_keys')).toEqual([{ foreign_keys: 1 }]);
  });
});
