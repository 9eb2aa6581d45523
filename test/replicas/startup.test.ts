import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { printLogsOnFailure, ReplicaSet } from '../support/replicas.ts';

const MIGRATIONS = readdirSync(new URL('../../migrations/', import.meta.url))
  .filter((name) => /^\d{14}_[\w-]+\.ts$/.test(name))
  .sort();

describe('two replicas starting on one empty PostgreSQL database', () => {
  let set: ReplicaSet | undefined;
  printLogsOnFailure(() => set);
  afterAll(() => set?.stop());

  it('migrate it once and both become healthy, though both reach the database at the same moment', async () => {
    // Their first connections are held until both have opened one: the migrations cannot run one
    // after the other merely because one process finished booting first.
    set = await ReplicaSet.start({ empty: true, sameMomentMigrations: true });
    expect(set.gate?.heldBack).toBe(2);
    for (const replica of set.replicas) {
      expect((await fetch(`${replica.url}/healthz`)).status).toBe(200);
    }
    const applied = (await set.db('knex_migrations').orderBy('id').select('name')) as { name: string }[];
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS);
  }, 90_000);
});
