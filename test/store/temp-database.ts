import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, migrate, openDatabase } from '../../src/store/database.ts';

export interface TempDatabase {
  db: Db;
  close(): Promise<void>;
}

/** A migrated SQLite database in a fresh temp dir; `close` destroys it and removes the dir. */
export async function openTempDatabase(): Promise<TempDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'refdesk-unit-'));
  const db = openDatabase(`sqlite:${join(dir, 'refdesk.sqlite')}`);
  await migrate(db);
  return {
    db,
    async close() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
