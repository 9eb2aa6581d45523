import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, migrate, openDatabase, rollbackAll } from '../../src/store/database.ts';
import { appTables, createTestDatabase, onPostgres, type TestDatabase } from '../support/test-database.ts';

describe('migrations', () => {
  let dir: string;
  let database: TestDatabase;
  let db: Db;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'refdesk-migrations-'));
    database = await createTestDatabase(dir);
    db = openDatabase(database.url);
  });
  afterEach(async () => {
    await db.destroy();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('go all the way down and up again, leaving the same tables', async () => {
    await migrate(db);
    const tables = (await appTables(db)).sort();
    expect(tables).toContain('periodic_runs');
    await rollbackAll(db);
    expect(await appTables(db)).toEqual([]);
    expect(await migrate(db)).not.toEqual([]);
    expect((await appTables(db)).sort()).toEqual(tables);
    expect(await migrate(db)).toEqual([]);
  });

  it.runIf(onPostgres)(
    'run once when two replicas start at the same moment on an empty database',
    async () => {
      await rollbackAll(db);
      const replicas = [openDatabase(database.url), openDatabase(database.url)];
      try {
        const applied = await Promise.all(replicas.map((replica) => migrate(replica)));
        expect(applied.map((a) => a.length > 0).sort()).toEqual([false, true]);
        const names = (await db('knex_migrations').pluck('name')) as string[];
        expect(new Set(names).size).toBe(names.length);
        expect(names).toEqual(applied.flat());
      } finally {
        await Promise.all(replicas.map((replica) => replica.destroy()));
      }
    },
  );
});
