import { migrate, openDatabase } from '../src/store/database.ts';
import { createBenchDatabase, requestedDatabase } from './bench-database.ts';
import type { Benchmark } from './benchmark.ts';
import { loadBenchHistory } from './directory-data.ts';
import { quantile, runWorker } from './worker-process.ts';

const SEED = 42;
const TARGET = { tableP95Ms: 300, reportMs: 1_000, chartMs: 150, rssMb: 300 };

interface WorkerFigures {
  tables: Record<string, number[]>;
  reportMs: number[];
  chartMs: number[];
  rssMb: number;
  peakMb: number;
}

const fmt = (n: number) => n.toFixed(1).padStart(8);

/** Outcomes for most agreed asks, so the outcome tables have rows to count. */
async function seedOutcomes(db: ReturnType<typeof openDatabase>): Promise<void> {
  await db.raw(`insert into reference_outcomes
      (request_id, ask_id, contact_id, happened, rating, moved_deal, deal_result, deal_amount, recorded_by, recorded_at, deal_recorded_at)
    select r.id, k.id, k.contact_id, true, 1 + (r.id % 5),
      case when r.id % 3 = 0 then 'yes' else 'no' end,
      case when r.id % 2 = 0 then 'won' else 'lost' end, 1000 * (r.id % 97), r.requester_id, k.approved_at, k.approved_at
    from reference_requests r join reference_asks k on k.id = r.current_ask_id
    where r.status = 'agreed' and r.id % 4 <> 0`);
}

async function run(flags: ReadonlySet<string>): Promise<void> {
  const database = await createBenchDatabase(requestedDatabase(flags), 'reports');
  const databaseUrl = database.url;
  const db = openDatabase(databaseUrl);
  try {
    console.log(`On ${database.where}.`);
    await migrate(db);
    await loadBenchHistory(db, SEED);
    await seedOutcomes(db);
    const f = await runWorker<WorkerFigures>('report-worker.ts', [databaseUrl]);
    console.log('\nper report table (20 reports: last 30 / 90 / 365 days and this quarter in turn), ms');
    console.log(`${'table'.padEnd(16)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'max'.padStart(8)}`);
    let worstTable = 0;
    for (const [name, times] of Object.entries(f.tables)) {
      worstTable = Math.max(worstTable, quantile(times, 0.95));
      console.log(
        `${name.padEnd(16)}${fmt(quantile(times, 0.5))}${fmt(quantile(times, 0.95))}${fmt(Math.max(...times))}`,
      );
    }
    const reportMax = Math.max(...f.reportMs);
    const chartP95 = quantile(f.chartMs, 0.95);
    console.log(`\nwhole report: p50 ${fmt(quantile(f.reportMs, 0.5))}, max ${fmt(reportMax)} ms`);
    console.log(
      `chart render, warm (20, two kinds): p50 ${fmt(quantile(f.chartMs, 0.5))}, p95 ${fmt(chartP95)} ms`,
    );
    console.log(
      `memory of the process that made them: ${f.rssMb.toFixed(0)} MB at the end, peak ${f.peakMb.toFixed(0)} MB`,
    );
    const checks = [
      [`every table p95 <= ${TARGET.tableP95Ms} ms`, worstTable <= TARGET.tableP95Ms],
      [`whole report <= ${TARGET.reportMs} ms`, reportMax <= TARGET.reportMs],
      [`chart p95 <= ${TARGET.chartMs} ms warm`, chartP95 <= TARGET.chartMs],
      [`peak RSS <= ${TARGET.rssMb} MB`, f.peakMb <= TARGET.rssMb],
    ] as const;
    console.log('');
    for (const [name, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}: ${name}`);
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  } finally {
    await db.destroy();
    await database.drop();
  }
}

export const reportsBenchmark: Benchmark = {
  name: 'reports',
  description:
    'program report tables, whole reports, chart renders and memory on 100,000 contacts and 200,000 asks',
  run,
  flags: { '--postgres': 'on the local PostgreSQL instead of SQLite (the targets are set on SQLite)' },
};
