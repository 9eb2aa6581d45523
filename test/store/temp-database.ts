import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, migrate, openDatabase } from '../../src/store/database.ts';
import { createTestDatabase } from '../support/test-database.ts';

export interface TempDatabase {
  db: Db;
  /** Its URL, for a second connection pool (another replica). */
  url: string;
  close(): Promise<void>;
}

/** A migrated database of its own (SQLite in a fresh temp dir, or PostgreSQL); `close` destroys it. */
export async function openTempDatabase(): Promise<TempDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'refdesk-unit-'));
  const database = await createTestDatabase(dir);
  const db = openDatabase(database.url);
  await migrate(db);
  return {
    db,
    url: database.url,
    async close() {
      await db.destroy();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
