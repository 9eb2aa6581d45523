import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import knexFactory, { type Knex } from 'knex';

export type Db = Knex;

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Reads `migrations/` ourselves so TypeScript migrations load the same way under tsx and vitest. */
const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return readdirSync(MIGRATIONS_DIR)
      .filter((name) => /^\d{14}_[\w-]+\.(ts|js)$/.test(name))
      .sort();
  },
  // `npm start` runs the compiled .js of each migration: it keeps its source's name, so a database
  // migrated from either is the same.
  getMigrationName: (name) => name.replace(/\.js$/, '.ts'),
  async getMigration(name) {
    return (await import(pathToFileURL(resolve(MIGRATIONS_DIR, name)).href)) as MigrationModule;
  },
};

function sqlitePath(url: string): string | null {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return null;
  const path = url.replace(/^sqlite:(\/\/)?/, '').replace(/^file:(\/\/)?/, '');
  return path === ':memory:' ? path : resolve(path);
}

interface PgConnection {
  query(sql: string, callback: (err: Error | null) => void): void;
}

interface SqliteConnection {
  pragma(sql: string): unknown;
}

/** Where knex's own lines (a lost connection, say) go; without one it prints them on stdout. */
export interface DatabaseLog {
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

const knexLog = (log: DatabaseLog): Knex.Config['log'] => ({
  warn: (message: unknown) => log.warn(String(message)),
  error: (message: unknown) => log.error(String(message)),
  debug: (message: unknown) => log.debug(String(message)),
  deprecate: (method: string, alternative: string) => log.warn(`${method} is deprecated: use ${alternative}`),
});

/** Opens the database named by DATABASE_URL: a SQLite file (created with its folder) or PostgreSQL. */
export function openDatabase(databaseUrl: string, poolSize = 10, log?: DatabaseLog): Db {
  const file = sqlitePath(databaseUrl);
  const logging = log ? { log: knexLog(log) } : {};
  if (file === null) {
    return knexFactory({
      client: 'pg',
      connection: databaseUrl,
      pool: {
        min: 0,
        max: poolSize,
        // No JIT: PostgreSQL compiled the coverage gaps' supply query for 1.3 s of its 1.65 s (its estimates for
        // the joined CTEs were off by thousands, so the cost crossed jit_above_cost); refdesk's queries are short.
        afterCreate(conn: PgConnection, done: (err: Error | null, conn: unknown) => void) {
          conn.query('set jit = off', (err) => done(err, conn));
        },
      },
      ...logging,
    });
  }
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  return knexFactory({
    ...logging,
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        // The planner's statistics, gathered where missing or stale (a sample: ~0.1 s on 200,000 asks): with them
        // SQLite walks the report's indexes in order instead of sorting every row (365-day report 3.5 -> <1 s).
        conn.pragma('optimize = 0x10002');
        done(null, conn);
      },
    },
  });
}

/** Refreshes the query planner's statistics where they went stale (PostgreSQL's autovacuum does it itself). */
export async function refreshStatistics(db: Db): Promise<void> {
  if (!isPostgres(db)) await db.raw('pragma optimize');
}

/** Any number that no other application on the database uses as an advisory lock key. */
const MIGRATION_LOCK = 7_318_245_001;

/**
 * Applies pending migrations. Replicas starting at once on PostgreSQL take turns on a
 * transaction-level advisory lock: one migrates, the others wait and then find nothing to do
 * (knex's own lock table makes them fail instead).
 */
export async function migrate(db: Db): Promise<string[]> {
  const latest = async () => {
    const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
    return applied;
  };
  if (!isPostgres(db)) return latest();
  return db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    return latest();
  });
}

/** Undoes every migration (tests of the migrations' `down`). */
export async function rollbackAll(db: Db): Promise<void> {
  await db.migrate.rollback({ migrationSource }, true);
}

/** Whether the database answers within `withinMs` (a probe must not hang on a database that does not). */
export async function isReachable(db: Db, withinMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), withinMs);
  });
  const answered = db.raw('select 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Deletes from `table` the rows `which` selects, `batch` rows a statement so that no statement holds
 * many locks for long on a busy database; returns how many went.
 */
export async function deleteInBatches(
  db: Db,
  table: string,
  key: string,
  which: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
  batch: number,
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db(table)
      .whereIn(key, which(db(table)).limit(batch).select(key))
      .delete();
    total += deleted;
    if (deleted < batch) return total;
  }
}

export const isPostgres = (db: Db): boolean => db.client.config.client === 'pg';

/**
 * SQL for the database's clock (plus `plusMs`) as an ISO 8601 string like Date.toISOString(), for
 * times several processes compare (leases): one clock for all, whatever the replicas' clocks say.
 */
export function dbClock(db: Db, plusMs = 0): string {
  const ms = Math.trunc(plusMs);
  return isPostgres(db)
    ? `to_char((clock_timestamp() + interval '${ms} milliseconds') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '${ms / 1000} seconds')`;
}

export const nowIso = (now: Date): string => now.toISOString();

/** `text` anywhere in a `like ? escape` pattern (backslash the escape): its own `%`, `_` and backslashes match only themselves. */
export const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A number as a driver returns it (PostgreSQL gives counts and sums as strings, SQL nulls as null). */
export type SqlNumber = number | string | null;
export const sqlNumber = (value: SqlNumber | undefined): number => Number(value ?? 0);
