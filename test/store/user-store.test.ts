import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/database.ts';
import { UserStore } from '../../src/store/user-store.ts';
import { openTempDatabase, type TempDatabase } from './temp-database.ts';

const AT = '2026-12-01T09:00:00.000Z';

describe('UserStore', () => {
  let temp: TempDatabase;
  let db: Db;
  const store = new UserStore();

  beforeEach(async () => {
    temp = await openTempDatabase();
    db = temp.db;
  });

  afterEach(async () => {
    await temp.close();
  });

  it('reads many users’ time zones at once: known, known to have none, and never fetched (missing)', async () => {
    await store.save(db, 'U0BERLIN', 'Europe/Berlin', AT);
    await store.save(db, 'U0NOZONE', null, AT);
    const zones = await store.zonesOf(db, ['U0BERLIN', 'U0NOZONE', 'U0NEVER']);
    expect(zones).toEqual(
      new Map([
        ['U0BERLIN', 'Europe/Berlin'],
        ['U0NOZONE', null],
      ]),
    );
    expect(await store.zonesOf(db, [])).toEqual(new Map());
  });

  it('reads more users than one statement takes', async () => {
    const ids = Array.from({ length: 1_203 }, (_, i) => `U${String(i).padStart(6, '0')}`);
    await db.batchInsert(
      'slack_users',
      ids.map((id) => ({ id, tz: 'Asia/Tokyo', fetched_at: AT })),
      200,
    );
    const zones = await store.zonesOf(db, ids);
    expect(zones.size).toBe(ids.length);
    expect(zones.get(ids.at(-1)!)).toBe('Asia/Tokyo');
  });
});
