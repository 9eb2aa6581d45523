import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import knexFactory from 'knex';
import { inject } from 'vitest';
import type { Db } from '../../src/store/database.ts';

/**
 * The PostgreSQL server the "postgres" test project runs against (`TEST_DATABASE_URL`, e.g.
 * postgres://postgres@127.0.0.1:5432/test); each test file gets a database of its own on it.
 */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? '';
/** True in the "postgres" project of vitest.config.ts: the same tests, on PostgreSQL. */
export const onPostgres = process.env.REFDESK_TEST_DATABASE === 'postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplate: string;
  }
}

/**
 * The migrated database (made once per run by postgres-reachable.ts, named after the run so runs at
 * the same time on one server keep to their own) each test file's database copies.
 */
export const POSTGRES_TEMPLATE = onPostgres ? inject('postgresTemplate') : '';

/** `url` naming database `name` on the same server. */
export function withDatabaseName(url: string, name: string): string {
  const named = new URL(url);
  named.pathname = `/${name}`;
  return named.toString();
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** One connection to the server's admin database, to create and drop test databases. */
export const postgresAdmin = (url = POSTGRES_URL) =>
  knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 5_000 });

/** A new PostgreSQL database on the test server: empty, or (`fromTemplate`) a copy of the migrated template. */
export async function createPostgresDatabase(prefix: string, fromTemplate: boolean): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgresAdmin();
  try {
    await admin.raw(`create database ${name}${fromTemplate ? ` template ${POSTGRES_TEMPLATE}` : ''}`);
  } finally {
    await admin.destroy();
  }
  return {
    url: withDatabaseName(POSTGRES_URL, name),
    async drop() {
      const admin = postgresAdmin();
      try {
        await admin.raw(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.destroy();
      }
    },
  };
}

/**
 * A fresh database for one test file: an empty SQLite file in `dir`, or a new PostgreSQL database
 * copied from the migrated template (migrating each anew cost half a second a database).
 */
export async function createTestDatabase(dir: string): Promise<TestDatabase> {
  if (!onPostgres) return { url: `sqlite:${join(dir, 'refdesk.sqlite')}`, drop: async () => undefined };
  return createPostgresDatabase('refdesk_test', true);
}

/** The app's tables (not knex's own), in the database `db` is connected to. */
export async function appTables(db: Db): Promise<string[]> {
  const rows = onPostgres
    ? ((await db('pg_tables')
        .where({ schemaname: db.raw('current_schema()') })
        .whereNot('tablename', 'like', 'knex_%')
        .select({ name: 'tablename' })) as { name: string }[])
    : ((await db('sqlite_master')
        .where({ type: 'table' })
        .whereNot('name', 'like', 'knex_%')
        .whereNot('name', 'sqlite_sequence')
        .select('name')) as { name: string }[]);
  return rows.map((r) => r.name);
}

/**
 * Empties every table and puts `seed` back (the rows the migrations wrote), with ids counting from
 * 1 again, in one transaction.
 */
export async function emptyTables(
  db: Db,
  seed: ReadonlyMap<string, Record<string, unknown>[]>,
): Promise<void> {
  const tables = await appTables(db);
  await db.transaction(async (trx) => {
    if (onPostgres) {
      await trx.raw(`truncate ${tables.map((t) => `"${t}"`).join(', ')} restart identity cascade`);
    } else {
      // Deferred, so tables can be emptied in any order; SQLite's AUTOINCREMENT counters go too.
      await trx.raw('PRAGMA defer_foreign_keys = ON');
      for (const table of tables) await trx(table).delete();
      if (await trx('sqlite_master').where({ name: 'sqlite_sequence' }).first())
        await trx('sqlite_sequence').delete();
    }
    for (const [table, rows] of seed) await trx(table).insert(rows);
  });
}
