import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PeriodicRunStore } from '../../src/store/periodic-run-store.ts';
import { openTempDatabase, type TempDatabase } from './temp-database.ts';

describe('PeriodicRunStore', () => {
  let temp: TempDatabase;
  const runs = new PeriodicRunStore();

  beforeEach(async () => {
    temp = await openTempDatabase();
  });
  afterEach(async () => {
    await temp.close();
  });

  it('gives a tick to one of the replicas that claim it at the same moment', async () => {
    const claims = await Promise.all(
      Array.from({ length: 6 }, () => runs.claim(temp.db, 'lifecycle', 60_000)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('gives the next tick once the interval (less timer drift) has passed on the database clock', async () => {
    expect(await runs.claim(temp.db, 'lifecycle', 200)).toBe(true);
    expect(await runs.claim(temp.db, 'lifecycle', 200)).toBe(false);
    await new Promise((r) => setTimeout(r, 250));
    expect(await runs.claim(temp.db, 'lifecycle', 200)).toBe(true);
  });

  it('keeps a ticket per job', async () => {
    expect(await runs.claim(temp.db, 'lifecycle', 60_000)).toBe(true);
    expect(await runs.claim(temp.db, 'digest', 60_000)).toBe(true);
  });
});
