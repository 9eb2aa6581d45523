import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresAdmin, withDatabaseName } from '../test/support/test-database.ts';

export type DatabaseKind = 'sqlite' | 'postgres';

/** The PostgreSQL server the benches make their databases on (its database is only used to create them). */
export const BENCH_POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** `--postgres` on the command line or BENCH_DATABASE=postgres: run against PostgreSQL instead of SQLite. */
export const requestedDatabase = (flags: ReadonlySet<string>): DatabaseKind =>
  flags.has('--postgres') || process.env.BENCH_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

export interface BenchDatabase {
  kind: DatabaseKind;
  /** DATABASE_URL for the bot and for the bench's own connection. */
  url: string;
  /** Where it lives, for the report (the database's name, not its credentials). */
  where: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one bench run: a SQLite file in a temporary folder, or a new PostgreSQL database. */
export async function createBenchDatabase(kind: DatabaseKind, label: string): Promise<BenchDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `refdesk-bench-${label}-`));
    const file = join(dir, 'refdesk.sqlite');
    return {
      kind,
      url: `sqlite:${file}`,
      where: `SQLite ${file}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  // One per bench process; one left behind by a run that was killed has another pid, so dropping first only
  // matters when pids come round again.
  const name = `refdesk_bench_${process.pid}`;
  const admin = postgresAdmin(BENCH_POSTGRES_URL);
  try {
    await admin.raw(`drop database if exists ${name} with (force)`);
    await admin.raw(`create database ${name}`);
  } catch (error) {
    const host = new URL(BENCH_POSTGRES_URL).host;
    throw new Error(`could not create database ${name} on PostgreSQL at ${host} (BENCH_DATABASE_URL)`, {
      cause: error,
    });
  } finally {
    await admin.destroy();
  }
  return {
    kind,
    url: withDatabaseName(BENCH_POSTGRES_URL, name),
    where: `PostgreSQL database ${name} at ${new URL(BENCH_POSTGRES_URL).host}`,
    async drop() {
      const admin = postgresAdmin(BENCH_POSTGRES_URL);
      try {
        await admin.raw(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.destroy();
      }
    },
  };
}
