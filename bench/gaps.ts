import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { PIPELINE_COLUMNS, type PipelineColumn } from '../src/domain/pipeline.ts';
import { type Db, migrate, openDatabase } from '../src/store/database.ts';
import type { Benchmark } from './benchmark.ts';
import { int, loadBenchHistory, mulberry32, weighted } from './directory-data.ts';
import { quantile, runWorker } from './worker-process.ts';

const SEED = 42;
const OPPORTUNITIES = 50_000;
const TARGET = { importMs: 15_000, gapsP95Ms: 1_000, rssMb: 300 };
const DAY_MS = 86_400_000;

interface WorkerFigures {
  importMs: number;
  imported: string;
  importPeakMb: number;
  segments: number;
  top: string | null;
  gapsMs: number[];
  queries: Record<string, number[]>;
  rssMb: number;
  peakMb: number;
}

type Weighted = readonly (readonly [string, number])[];

const fmt = (n: number) => n.toFixed(1).padStart(8);

/** A column's values in the directory with how often each occurs, in a fixed order. */
async function vocabulary(db: Db, table: string, column: string): Promise<Weighted> {
  const rows = (await db(table)
    .whereNotNull(column)
    .groupBy(column)
    .select(`${column} as value`, db.raw('count(*) as n'))
    .orderBy(column)) as { value: string; n: number | string }[];
  return rows.map((r) => [r.value, Number(r.n)] as const);
}

/**
 * A pipeline CSV of `count` opportunities over the last two years (60% open), always the same for the same
 * seed and day. Industries, products, regions and sizes are the bench directory's own, as often as there,
 * so the pipeline's segments meet the directory's.
 */
export async function generatePipelineCsv(db: Db, count: number, seed: number, now: Date): Promise<string> {
  const industries = await vocabulary(db, 'accounts', 'industry');
  const regions = await vocabulary(db, 'accounts', 'region');
  const sizes = await vocabulary(db, 'accounts', 'company_size');
  const products = await vocabulary(db, 'account_products', 'product');
  const rnd = mulberry32(seed);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const rows = Array.from({ length: count }, (_, i): Record<PipelineColumn, string> => {
    const created = now.getTime() - Math.floor(rnd() ** 1.3 * 730) * DAY_MS;
    const status = weighted(rnd, [
      ['open', 60],
      ['won', 15],
      ['lost', 25],
    ]);
    const chosen = new Set<string>();
    for (let n = int(rnd, 1, 3); chosen.size < n; ) chosen.add(weighted(rnd, products));
    return {
      opportunity_id: `OPP-${String(i + 1).padStart(7, '0')}`,
      name: `Deal ${i + 1}`,
      account: `Prospect ${int(rnd, 1, 5_000)}`,
      owner: `U0REP${String(int(rnd, 1, 300)).padStart(4, '0')}`,
      amount: String(int(rnd, 5, 2_000) * 1_000),
      currency: 'USD',
      stage:
        status === 'open'
          ? weighted(rnd, [
              ['Discovery', 3],
              ['Proposal', 2],
              ['Negotiation', 1],
            ])
          : '',
      status,
      created: day(created),
      close_date: status === 'open' ? '' : day(Math.min(now.getTime(), created + int(rnd, 10, 200) * DAY_MS)),
      industry: rnd() < 0.97 ? weighted(rnd, industries) : '',
      products: [...chosen].sort().join(';'),
      region: weighted(rnd, regions),
      company_size: weighted(rnd, sizes),
    };
  });
  return stringify(rows, { header: true, columns: [...PIPELINE_COLUMNS] });
}

function report(f: WorkerFigures): void {
  console.log(
    `\nimport: ${(f.importMs / 1000).toFixed(1)} s (${f.imported}), peak RSS ${f.importPeakMb.toFixed(0)} MB`,
  );
  console.log(`segments with real pipeline: ${f.segments}; most short: ${f.top ?? '(none)'}`);
  console.log(`\nper gaps query (${f.gapsMs.length} runs), ms`);
  console.log(`${'query'.padEnd(20)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'max'.padStart(8)}`);
  for (const [name, times] of Object.entries(f.queries))
    console.log(
      `${name.padEnd(20)}${fmt(quantile(times, 0.5))}${fmt(quantile(times, 0.95))}${fmt(Math.max(...times))}`,
    );
  const gapsP95 = quantile(f.gapsMs, 0.95);
  console.log(
    `\nprogramGaps: p50 ${fmt(quantile(f.gapsMs, 0.5))}, p95 ${fmt(gapsP95)}, max ${fmt(Math.max(...f.gapsMs))} ms`,
  );
  console.log(
    `memory of the process that did it: ${f.rssMb.toFixed(0)} MB at the end, peak ${f.peakMb.toFixed(0)} MB`,
  );
  const checks = [
    [`pipeline import <= ${TARGET.importMs / 1000} s`, f.importMs <= TARGET.importMs],
    [`programGaps p95 <= ${TARGET.gapsP95Ms} ms`, gapsP95 <= TARGET.gapsP95Ms],
    [`peak RSS <= ${TARGET.rssMb} MB`, f.peakMb <= TARGET.rssMb],
  ] as const;
  console.log('');
  for (const [name, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}: ${name}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
}

async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'refdesk-bench-gaps-'));
  const databaseUrl = `sqlite:${join(dir, 'refdesk.sqlite')}`;
  const csvFile = join(dir, 'pipeline.csv');
  try {
    const db = openDatabase(databaseUrl);
    try {
      await migrate(db);
      await loadBenchHistory(db, SEED);
      writeFileSync(csvFile, await generatePipelineCsv(db, OPPORTUNITIES, SEED, new Date()));
    } finally {
      await db.destroy();
    }
    console.log(
      `Pipeline: ${OPPORTUNITIES.toLocaleString('en')} opportunities, ${(statSync(csvFile).size / 1e6).toFixed(1)} MB of CSV.`,
    );
    report(await runWorker<WorkerFigures>('gaps-worker.ts', [databaseUrl, csvFile]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const gapsBenchmark: Benchmark = {
  name: 'gaps',
  description:
    'pipeline import of 50,000 opportunities, then coverage gaps and memory, beside 100,000 contacts and 200,000 asks',
  run,
};
