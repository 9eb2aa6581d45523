import { subDays } from 'date-fns';
import type { Knex } from 'knex';
import { migrate, openDatabase } from '../src/store/database.ts';
import { DirectorySnapshotStore } from '../src/store/directory-snapshot-store.ts';
import { OutboxStore } from '../src/store/outbox-store.ts';
import { UsageStore } from '../src/store/usage-store.ts';
import { createBenchDatabase } from './bench-database.ts';
import type { Benchmark } from './benchmark.ts';

const NOW = new Date('2026-12-02T12:00:00.000Z');
const ACCOUNTS = 5_000;
const CONTACTS = 50_000;
const REQUESTS = 100_000;
const SENT = 300_000;

const iso = (daysAgo: number) => subDays(NOW, daysAgo).toISOString();

/** A program after a few years: 50,000 contacts, 100,000 requests each with an ask, 300,000 sent messages. */
async function seed(db: Knex): Promise<void> {
  await db.raw(`insert into accounts (name, account_key, company_size, owner_id, created_at, updated_at)
    select 'Account ' || i, 'key-' || i, '1000-4999', 'U0OWN' || (i % 300), '2024-01-01', '2024-01-01'
    from generate_series(1, ${ACCOUNTS}) i`);
  await db.raw(`insert into contacts (account_id, name, email, status, created_at, updated_at)
    select 1 + (i % ${ACCOUNTS}), 'Person ' || i, 'p' || i || '@example.com', 'active', '2024-01-01', '2024-01-01'
    from generate_series(1, ${CONTACTS}) i`);
  await db.raw(`insert into reference_requests (requester_id, prospect, activity, needed_by, context, status, created_at, updated_at)
    select 'U0REP' || (i % 2000), 'Prospect ' || i, 'reference_call',
      to_char(date '2026-12-02' - (i % 1000) + 14, 'YYYY-MM-DD'), 'Context',
      (array['closed','closed','closed','cancelled','awaiting_owner','agreed'])[1 + i % 6],
      to_char(timestamp '2026-12-02 12:00' - (i % 1000) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      to_char(timestamp '2026-12-02 12:00' - (i % 1000) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    from generate_series(1, ${REQUESTS}) i`);
  await db.raw(`insert into reference_asks (request_id, contact_id, owner_id, round, approved_by, approved_at)
    select i, 1 + (i * 7 % ${CONTACTS}), 'U0OWN1', 1, 'U0RM1',
      to_char(timestamp '2026-12-02 12:00' - (i % 1000) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    from generate_series(1, ${REQUESTS}) i`);
  await db.raw('update reference_requests set current_ask_id = id');
  await db.raw(`insert into outbox (conversation, notification, kind, status, attempts, next_attempt_at, created_at, sent_at)
    select 'U0REP' || (i % 2000), '{"type":"rep_submitted","requestId":1}', 'rep_submitted',
      case when i > ${SENT} then 'pending' else 'sent' end, 1,
      to_char(timestamp '2026-12-02 12:00' - (i % 60) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      '2026-10-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z'
    from generate_series(1, ${SENT + 200}) i`);
  await db.raw('analyze');
}

/** The SQL `run` sends (in a transaction rolled back afterwards), explained with ANALYZE. */
async function explain(db: Knex, title: string, run: (trx: Knex) => Promise<unknown>): Promise<void> {
  const queries: { sql: string; bindings: unknown[] }[] = [];
  const record = (q: { sql: string; bindings?: unknown[] }) => {
    if (/^\s*(with|select|update|delete)/i.test(q.sql) && !/refdesk_revisions/.test(q.sql))
      queries.push({ sql: q.sql.replace(/\$\d+/g, '?'), bindings: q.bindings ?? [] });
  };
  db.on('query', record);
  await db
    .transaction(async (trx) => {
      await run(trx);
      throw new Error('rollback');
    })
    .catch(() => undefined);
  db.off('query', record);
  for (const q of queries) {
    console.log(`\n-- ${title}\n${q.sql.replace(/\s+/g, ' ').trim()}`);
    await db
      .transaction(async (trx) => {
        const plan = await trx.raw(
          `explain (analyze, costs off, timing on) ${q.sql}`,
          q.bindings as Knex.RawBinding[],
        );
        for (const row of plan.rows as { 'QUERY PLAN': string }[]) console.log(`   ${row['QUERY PLAN']}`);
        throw new Error('rollback');
      })
      .catch((e: Error) => {
        if (e.message !== 'rollback') throw e;
      });
  }
}

export const explainBenchmark: Benchmark = {
  name: 'explain',
  description:
    'EXPLAIN ANALYZE of the hot-path queries (outbox claim, usage, index reload) on a large PostgreSQL database',
  async run() {
    const database = await createBenchDatabase('postgres', 'explain');
    const db = openDatabase(database.url);
    try {
      await migrate(db);
      console.log(
        `seeding ${database.where}: ${CONTACTS} contacts, ${REQUESTS} requests and asks, ${SENT} sent messages...`,
      );
      await seed(db);
      const windowStart = iso(90);
      await explain(db, 'outbox claim (delivery worker, every poll)', (trx) =>
        new OutboxStore().claimDue(trx, NOW.toISOString(), 15_000, 12),
      );
      await explain(db, 'usage of one contact (inside every approval)', (trx) =>
        new UsageStore().contactUsage(trx, { id: 4_242, accountId: 4_242 }, windowStart, '2026-12-02'),
      );
      const snapshots = new DirectorySnapshotStore();
      await explain(db, 'index reload after a usage change: asks in the window', (trx) =>
        snapshots.asks(trx, iso(91)),
      );
      await explain(db, 'index reload after a usage change: open asks', (trx) =>
        snapshots.openAsks(trx, '2026-12-02'),
      );
      await explain(db, 'index reload after a directory change', (trx) => snapshots.changedContacts(trx, 1));
      await explain(db, 'housekeeping: one batch of sent messages', (trx) =>
        new OutboxStore().pruneSent(trx, iso(30), 500),
      );
    } finally {
      await db.destroy();
      await database.drop();
    }
  },
};
