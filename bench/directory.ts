import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MatchCriteria } from '../src/domain/matching.ts';
import { DEFAULT_RULES } from '../src/domain/program-rules.ts';
import { ACTIVITY_KEYS, SENIORITY_KEYS } from '../src/domain/vocabulary.ts';
import { DirectoryIndex } from '../src/services/directory-index.ts';
import { MatchService } from '../src/services/match-service.ts';
import { CONTACT_SELECT, REQUEST_FIELDS, VIEWS } from '../src/slack/ids.ts';
import { type Db, migrate, openDatabase } from '../src/store/database.ts';
import { DirectorySnapshotStore } from '../src/store/directory-snapshot-store.ts';
import { RevisionStore } from '../src/store/revision-store.ts';
import { requestValues } from '../test/support/journey.ts';
import { blockSuggestion, SignedClient } from '../test/support/signed-client.ts';
import type { Benchmark } from './benchmark.ts';
import {
  botNodeFlags,
  BOT_MANAGER as MANAGER,
  memoryOf,
  BOT_SIGNING_SECRET as SECRET,
  startBot,
  stopBot,
} from './bot-process.ts';
import { loadBenchHistory, mulberry32 } from './directory-data.ts';
import { ExternalSlack } from './external-slack.ts';
import { formatTable, type LatencySummary, ms, summarize } from './stats.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SEED = 20261201;
const RANKINGS = 2_000;
const TYPEAHEADS = 2_000;
const TYPEAHEAD_CONCURRENCY = 10;

const TARGET = { rankP99Ms: 25, typeaheadP99Ms: 50, rssMb: 300 } as const;

interface Vocabulary {
  industries: string[];
  regions: string[];
  sizes: string[];
  products: string[];
  /** Prefixes of real names and accounts, as someone would type them. */
  typed: string[];
  openRequestIds: number[];
}

async function distinct(db: Db, table: string, column: string): Promise<string[]> {
  const rows = (await db(table).distinct(column).whereNotNull(column)) as Record<string, string>[];
  return rows.map((r) => r[column]!);
}

export async function vocabulary(db: Db): Promise<Vocabulary> {
  const names = (await db('contacts').select('name').limit(2_000)) as { name: string | null }[];
  const accounts = (await db('accounts').select('name').limit(2_000)) as { name: string }[];
  const typed = [...names.map((n) => n.name ?? ''), ...accounts.map((a) => a.name)]
    .filter((s) => s.length >= 3)
    .map((s, i) => s.slice(0, 1 + (i % 4)).toLowerCase());
  const open = (await db('reference_requests').where({ status: 'awaiting_owner' }).select('id')) as {
    id: number;
  }[];
  return {
    industries: await distinct(db, 'accounts', 'industry'),
    regions: await distinct(db, 'accounts', 'region'),
    sizes: await distinct(db, 'accounts', 'company_size'),
    products: await distinct(db, 'account_products', 'product'),
    typed: ['', ...typed],
    openRequestIds: open.map((r) => r.id),
  };
}

function criteriaGenerator(v: Vocabulary, seed: number): () => MatchCriteria {
  const rnd = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const maybe = <T>(list: readonly T[]): T | null => (rnd() < 0.85 ? pick(list) : null);
  return () => ({
    activity: pick(ACTIVITY_KEYS),
    industry: maybe(v.industries),
    products: Array.from({ length: Math.floor(rnd() * 3) }, () => pick(v.products)),
    region: maybe(v.regions),
    companySize: maybe(v.sizes),
    seniority: maybe(SENIORITY_KEYS),
    prospect: `Prospect ${1 + Math.floor(rnd() * 5_000)}`,
  });
}

/** `benchRanking` in a fresh process with the bot's node flags (bench/rank-worker.ts). */
async function rankInOwnProcess(databaseUrl: string): Promise<{ load: number; figures: Figures }> {
  const flags = botNodeFlags();
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', 'bench/rank-worker.ts', databaseUrl], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the ranking process exited with ${code}`);
  return JSON.parse(out) as { load: number; figures: Figures };
}

/** A run's latencies: `summarize` from stats.ts, the same figures every benchmark prints. */
export type Figures = LatencySummary;

const figures = (latencies: number[], failures = 0): Figures =>
  summarize(Float64Array.from(latencies), failures, Number.NaN);

/** Ranks the top 10 for generated requests through MatchService, as the card and "Find matches" do. */
export async function benchRanking(db: Db, v: Vocabulary): Promise<{ load: number; figures: Figures }> {
  const index = new DirectoryIndex(
    db,
    new DirectorySnapshotStore(),
    new RevisionStore(),
    DEFAULT_RULES,
    () => new Date(),
  );
  const matches = new MatchService(db, index, new DirectorySnapshotStore(), () => new Date());
  const loadStart = performance.now();
  await matches.warm();
  const load = performance.now() - loadStart;
  const next = criteriaGenerator(v, SEED);
  for (let i = 0; i < 100; i++) await matches.suggest(next(), 10);
  const latencies: number[] = [];
  for (let i = 0; i < RANKINGS; i++) {
    const criteria = next();
    const started = performance.now();
    await matches.suggest(criteria, 10);
    latencies.push(performance.now() - started);
  }
  return { load, figures: figures(latencies) };
}

type Suggest = () => Record<string, unknown>;

/** Typeahead payloads: the approve modal (ordered by fit for a stored request) and the request form. */
function typeaheadPayloads(v: Vocabulary): Suggest {
  const rnd = mulberry32(SEED + 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const nextCriteria = criteriaGenerator(v, SEED + 2);
  return () => {
    const value = pick(v.typed);
    if (rnd() < 0.5 && v.openRequestIds.length > 0) {
      return blockSuggestion({
        user: MANAGER,
        actionId: CONTACT_SELECT,
        blockId: 'contact',
        value,
        callbackId: VIEWS.approve,
        privateMetadata: JSON.stringify({ requestId: pick(v.openRequestIds), v: 0 }),
      });
    }
    const c = nextCriteria();
    const payload = blockSuggestion({
      user: 'U0REP1',
      actionId: CONTACT_SELECT,
      blockId: REQUEST_FIELDS.preferredContactId.block,
      value,
      callbackId: VIEWS.request,
    });
    const values = requestValues({
      activity: c.activity,
      industry: c.industry,
      region: c.region,
      companySize: c.companySize,
      seniority: c.seniority,
      products: [...c.products],
      prospect: c.prospect,
    });
    (payload.view as { state: unknown }).state = { values };
    return payload;
  };
}

export async function benchTypeahead(
  url: string,
  v: Vocabulary,
  concurrency: number,
  total: number,
): Promise<Figures> {
  const client = new SignedClient(url, SECRET);
  const next = typeaheadPayloads(v);
  const latencies: number[] = [];
  let failures = 0;
  let sent = 0;
  const sender = async () => {
    while (sent < total) {
      sent++;
      const payload = next();
      const started = performance.now();
      try {
        const res = await client.interaction(payload);
        const options = res.json().options as unknown[] | undefined;
        if (res.status !== 200 || !Array.isArray(options)) failures++;
        else latencies.push(performance.now() - started);
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  return figures(latencies, failures);
}

const row = (name: string, f: Figures, target: string): string[] => [
  name,
  target,
  String(f.requests),
  String(f.failures),
  ms(f.p50),
  ms(f.p95),
  ms(f.p99),
  ms(f.max),
];

/**
 * A generated directory (100,000 contacts in 20,000 accounts, 200,000 past asks) in a fresh SQLite file:
 * ranking the top 10 in-process through MatchService, the contact typeahead over signed HTTP against
 * the bot's own process, and that process's resident memory.
 */
async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'refdesk-bench-directory-'));
  const databaseUrl = `sqlite:${join(dir, 'refdesk.sqlite')}`;
  const db = openDatabase(databaseUrl);
  let slack: ExternalSlack | undefined;
  let bot: ChildProcess | undefined;
  try {
    await migrate(db);
    await loadBenchHistory(db, SEED);
    const v = await vocabulary(db);

    const ranking = await rankInOwnProcess(databaseUrl);
    console.log(`Index loaded from the database in ${ms(ranking.load)} ms.`);

    slack = await ExternalSlack.start();
    const started = await startBot(databaseUrl, slack.apiUrl);
    bot = started.child;
    const warm = memoryOf(bot.pid!);
    await benchTypeahead(started.url, v, 1, 200);
    const sequential = await benchTypeahead(started.url, v, 1, TYPEAHEADS);
    const concurrent = await benchTypeahead(started.url, v, TYPEAHEAD_CONCURRENCY, TYPEAHEADS);
    const loaded = memoryOf(bot.pid!);

    console.log('');
    console.log(
      formatTable(
        ['measure', 'target p99', 'n', 'failed', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
        [
          row('rank top 10 (in process)', ranking.figures, `≤ ${TARGET.rankP99Ms} ms`),
          row('typeahead over HTTP, 1 at a time', sequential, `≤ ${TARGET.typeaheadP99Ms} ms`),
          row(`typeahead over HTTP, ${TYPEAHEAD_CONCURRENCY} at once`, concurrent, '(for information)'),
        ],
      ),
    );
    console.log('');
    console.log(
      `bot resident memory: ${warm.rss.toFixed(0)} MB after start-up (index loaded), ` +
        `${loaded.rss.toFixed(0)} MB after the typeahead runs, peak ${loaded.peak.toFixed(0)} MB; target ≤ ${TARGET.rssMb} MB`,
    );
    const checks = [
      ['rank p99', ranking.figures.p99 <= TARGET.rankP99Ms],
      ['typeahead p99', sequential.p99 <= TARGET.typeaheadP99Ms && sequential.failures === 0],
      ['memory', loaded.peak <= TARGET.rssMb],
    ] as const;
    for (const [name, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}: ${name}`);
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  } finally {
    if (bot) await stopBot(bot);
    await slack?.stop();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const directoryBenchmark: Benchmark = {
  name: 'directory',
  description: 'ranking, typeahead over HTTP and bot memory with 100,000 contacts and 200,000 past asks',
  run,
};
