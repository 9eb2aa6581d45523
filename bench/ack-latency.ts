import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { App } from '@slack/bolt';
import { DirectoryImport } from '../src/services/directory-import.ts';
import { ACTIONS, COMMAND, VIEWS } from '../src/slack/ids.ts';
import type { ListenerDeps } from '../src/slack/listeners/deps.ts';
import { registerListeners } from '../src/slack/listeners/index.ts';
import { type Db, migrate, openDatabase } from '../src/store/database.ts';
import { DIRECTORY_CSV } from '../test/support/harness.ts';
import { REP, requestValues } from '../test/support/journey.ts';
import { blockAction, SignedClient, sample, viewSubmission } from '../test/support/signed-client.ts';
import {
  type AppUnderTest,
  BASELINE,
  type FollowUpLag,
  type LoadPlan,
  loadTitle,
  printListenerComparison,
  printReport,
  printVerdict,
  type Row,
  type RunReport,
  type Scenario,
  TARGET,
} from './ack-report.ts';
import {
  type BenchDatabase,
  createBenchDatabase,
  type DatabaseKind,
  requestedDatabase,
} from './bench-database.ts';
import type { Benchmark } from './benchmark.ts';
import {
  BOT_MANAGER,
  BOT_MANAGERS_CHANNEL,
  BOT_SIGNING_SECRET,
  botNodeFlags,
  startBot,
  stopBot,
} from './bot-process.ts';
import { machineBusyMs, pidCpuMs, processCpuMs } from './cpu.ts';
import { ExternalSlack, type SlackStats, totalCalls } from './external-slack.ts';
import { type LoadResult, LoadSender, SEQUENCE } from './sender.ts';
import { ms, percentile, summarize } from './stats.ts';

const SENDERS = 50;
/** Requests created through the real app before the clicks; the clicks go round-robin over them. */
const POOL_SIZE = 20;
/** A request not answered by then counts as failed. */
const TIMEOUT_MS = 10_000;
// ACK_BENCH_QUICK=1: a smoke run (2 short rounds per load) that checks the bench works; not for judging.
const QUICK = process.env.ACK_BENCH_QUICK === '1';
const ROUNDS = QUICK ? 2 : 5;
/** Paced: seconds of warm-up before an app's first run of a scenario, before its later runs, and measured. */
const PACED_S = QUICK ? { first: 0.75, later: 0.25, measured: 1.5 } : { first: 3, later: 1, measured: 5 };
/** Unpaced: requests of warm-up, then measured, per run. */
const UNPACED_N = QUICK ? { warmup: 50, measured: 300 } : { warmup: 200, measured: 2_000 };

/** Judged on ack p99: steady traffic, like many users clicking, well below saturation. */
const PACED: LoadPlan = {
  name: 'paced',
  rounds: ROUNDS,
  shape: (round) => ({
    kind: 'paced',
    senders: SENDERS,
    intervalMs: 250,
    // The first run of each app and scenario warms the app up; later ones only re-open connections.
    warmupMs: (round === 0 ? PACED_S.first : PACED_S.later) * 1000,
    durationMs: PACED_S.measured * 1000,
  }),
  describe: () =>
    `${SENDERS} senders, each sending one request every 250 ms (${(SENDERS * 1000) / 250} req/s in all), ` +
    'start times spread evenly over the first 250 ms, open loop (a sender never waits for its earlier ' +
    `answers). Per app and scenario: ${ROUNDS} runs of ${PACED_S.measured} s measured, after ` +
    `${PACED_S.first} s of warm-up before the first and ${PACED_S.later} s before the others.`,
};

/** Judged on throughput: every sender sends again the moment it is answered, so req/s is how far the app goes. */
const UNPACED: LoadPlan = {
  name: 'unpaced',
  rounds: ROUNDS,
  shape: () => ({
    kind: 'closed',
    concurrency: SENDERS,
    warmup: UNPACED_N.warmup,
    requests: UNPACED_N.measured,
  }),
  describe: () =>
    `${SENDERS} closed-loop senders, each sending its next request the moment the last is answered. ` +
    `Per app and scenario: ${ROUNDS} runs of ${UNPACED_N.measured} measured requests after ${UNPACED_N.warmup} warm-up.`,
};

/** Each request's trigger_id carries its sequence number, so its views.open can be matched to it. */
const TRIGGER_ID = `bench.${SEQUENCE}`;

const FORM = 'application/x-www-form-urlencoded';

const form = (fields: Record<string, unknown>): string =>
  new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString();

/** `/reference` with no text, as Slack sends it: refdesk acks, then opens the request modal. */
function commandScenario(): Scenario {
  return {
    name: '/reference',
    bodies: (app) => [
      form({
        ...sample('SlashCommandPayload'),
        command: COMMAND,
        text: '',
        team_id: 'T0123',
        channel_id: 'C0GENERAL',
        user_id: REP,
        trigger_id: TRIGGER_ID,
        response_url: app.slack.responseUrl('command'),
      }),
    ],
  };
}

/** A manager clicks Approve on a request's card: refdesk acks, checks the request, then opens the approve modal. */
function approveScenario(requestIds: readonly number[]): Scenario {
  return {
    name: 'Approve click',
    bodies: (app) =>
      requestIds.map((requestId) =>
        form({
          payload: JSON.stringify({
            ...blockAction({
              user: BOT_MANAGER,
              actionId: ACTIONS.approve,
              value: JSON.stringify({ requestId }),
              channel: BOT_MANAGERS_CHANNEL,
              responseUrl: app.slack.responseUrl(`approve-${requestId}`),
            }),
            trigger_id: TRIGGER_ID,
          }),
        }),
      ),
  };
}

/** Submits `count` requests to the bot over signed HTTP and waits until they are stored and their cards posted. */
async function seedRequests(url: string, db: Db, count: number): Promise<number[]> {
  const client = new SignedClient(url, BOT_SIGNING_SECRET);
  for (let i = 0; i < count; i++) {
    const res = await client.interaction(
      viewSubmission({ user: REP, callbackId: VIEWS.request, values: requestValues() }),
    );
    if (res.status !== 200 || res.text) throw new Error(`submission failed: ${res.status} ${res.text}`);
  }
  // Cards to one channel go out about one a second (Slack's pace for posting), so allow for that.
  const deadline = Date.now() + 60_000 + count * 1_100;
  for (;;) {
    const ids = (await db('reference_requests').pluck('id')) as number[];
    const pending = (await db('outbox').where({ status: 'pending' }).count({ n: '*' }).first()) as {
      n: number;
    };
    if (ids.length === count && Number(pending.n) === 0) return ids;
    if (Date.now() > deadline) throw new Error('the seeded requests were not stored and posted in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** refdesk as `npm start` runs it (compiled, its node flags), in its own process, on a fresh database. */
async function startRefdesk(
  database: DatabaseKind,
): Promise<{ app: AppUnderTest; requestIds: number[]; where: string }> {
  const slack = await ExternalSlack.start();
  let store: BenchDatabase | undefined;
  let db: Db | undefined;
  let bot: ChildProcess | undefined;
  const stop = async () => {
    if (bot) await stopBot(bot);
    await db?.destroy();
    await slack.stop();
    await store?.drop();
  };
  try {
    store = await createBenchDatabase(database, 'ack');
    db = openDatabase(store.url);
    await migrate(db);
    const imported = await new DirectoryImport(db).importCsv(DIRECTORY_CSV, new Date());
    if (!imported.ok) throw new Error('the fixture directory did not import');
    const started = await startBot(store.url, slack.apiUrl);
    bot = started.child;
    const requestIds = await seedRequests(started.url, db, POOL_SIZE);
    const pid = bot.pid!;
    return {
      app: { name: 'refdesk', url: started.url, slack, cpuMs: () => pidCpuMs(pid), stop },
      requestIds,
      where: store.where,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The modal refdesk opens in `scenario`, from one request sent to it, for the baseline to open the same. */
async function viewOpenedBy(app: AppUnderTest, scenario: Scenario): Promise<object> {
  const body = scenario.bodies(app)[0]!.replaceAll(SEQUENCE, 'sample');
  const res = await new SignedClient(app.url, BOT_SIGNING_SECRET).post(body, FORM);
  if (res.status !== 200) throw new Error(`${scenario.name} answered ${res.status} ${res.text}`);
  await quiesce(app.slack);
  const { lastView } = await app.slack.takeReport();
  if (!lastView) throw new Error(`${app.name} opened no modal for ${scenario.name}`);
  return lastView;
}

/**
 * The baseline (bench/bare-bolt.mjs) in its own process with the same node flags: it acks, then opens
 * `views.command` or `views.action`, the modals refdesk opens.
 */
async function startBaseline(
  views: { command: object; action: object },
  listeners = 0,
): Promise<AppUnderTest> {
  const slack = await ExternalSlack.start();
  const child = spawn(
    process.execPath,
    [...botNodeFlags(), fileURLToPath(new URL('./bare-bolt.mjs', import.meta.url))],
    {
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_SIGNING_SECRET: BOT_SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        BENCH_COMMAND: COMMAND,
        BENCH_ACTION: ACTIONS.approve,
        // Its own command and action are 2 of them.
        BENCH_EXTRA_LISTENERS: String(Math.max(0, listeners - 2)),
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  child.stdin!.end(JSON.stringify(views));
  const stop = async () => {
    await stopBot(child);
    await slack.stop();
  };
  try {
    const lines = createInterface({ input: child.stdout! });
    const [port] = (await Promise.race([
      once(lines, 'line'),
      once(child, 'exit').then(([code]) => {
        throw new Error(`bare Bolt exited with ${code} before printing its port`);
      }),
    ])) as [string];
    lines.close();
    const pid = child.pid!;
    return {
      name: listeners > 0 ? listenersBaseline(listeners) : BASELINE,
      url: `http://127.0.0.1:${port}/slack/events`,
      slack,
      cpuMs: () => pidCpuMs(pid),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const listenersBaseline = (n: number) => `bare Bolt, ${n} listeners`;

/** How many listeners refdesk registers: Bolt runs each one's middleware for every request. */
function refdeskListenerCount(): number {
  const app = new App({ token: 'xoxb-bench', signingSecret: 'bench', tokenVerificationEnabled: false });
  // Registering only builds closures over the deps; nothing here calls them.
  registerListeners(app, {} as ListenerDeps);
  return (app as unknown as { listeners: unknown[] }).listeners.length;
}

/**
 * Waits until the app's work after the acks has drained (no new Web API call for `quietMs`), so it
 * does not spill into the next run; resolves with how long the last call came after the load ended.
 */
async function quiesce(slack: ExternalSlack, quietMs = 250, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  let seen = -1;
  let lastChange = started;
  while (Date.now() - started < timeoutMs) {
    const n = totalCalls(await slack.stats());
    if (n !== seen) {
      if (seen !== -1) lastChange = Date.now();
      seen = n;
    } else if (Date.now() - lastChange >= quietMs) {
      return lastChange - started;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the app was still calling Slack 30 s after the load stopped');
}

/** From sending each measured request to its follow-up call reaching Slack, by the trigger_id's sequence number. */
function followUpLag(result: LoadResult, arrivals: Readonly<Record<string, number>>): FollowUpLag | null {
  if (Object.keys(arrivals).length === 0) return null;
  const lags: number[] = [];
  let missing = 0;
  result.measuredSeq.forEach((seq, i) => {
    const arrival = arrivals[TRIGGER_ID.replace(SEQUENCE, String(seq))];
    if (arrival === undefined) missing++;
    else lags.push(arrival - result.sentAt[i]!);
  });
  const sorted = Float64Array.from(lags).sort();
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: percentile(sorted, 100),
    late: missing + lags.filter((lag) => lag > TARGET.triggerTtlMs).length,
  };
}

const opened = (stats: SlackStats): number => stats.calls['views.open'] ?? 0;

async function measure(
  sender: LoadSender,
  plan: LoadPlan,
  round: number,
  app: AppUnderTest,
  scenario: Scenario,
): Promise<RunReport> {
  const fakeBefore = await app.slack.takeReport();
  const before = await app.slack.stats();
  const [machineBefore, ownBefore, appBefore, startedAt] = [
    machineBusyMs(),
    processCpuMs(),
    app.cpuMs(),
    performance.now(),
  ];
  const result = await sender.run({
    url: app.url,
    contentType: FORM,
    bodies: scenario.bodies(app),
    signingSecret: BOT_SIGNING_SECRET,
    timeoutMs: TIMEOUT_MS,
    shape: plan.shape(round),
  });
  const drainMs = await quiesce(app.slack);
  const [machine, own, appCpu, wallMs] = [
    machineBusyMs(),
    processCpuMs(),
    app.cpuMs(),
    performance.now() - startedAt,
  ];
  const after = await app.slack.stats();
  const fake = await app.slack.takeReport();
  const othersMs =
    machine - machineBefore - (own - ownBefore) - (appCpu - appBefore) - (fake.cpuMs - fakeBefore.cpuMs);
  return {
    ...summarize(result.latencies, result.failures, result.wallMs),
    drainMs,
    sent: result.sent,
    appCpuMsPerRequest: (appCpu - appBefore) / Math.max(1, result.sent),
    maxSendLagMs: result.maxSendLagMs,
    otherCores: Math.max(0, othersMs / wallMs),
    followUpLag: followUpLag(result, fake.arrivals),
    followUps: opened(after) - opened(before),
    errorReplies: after.responses - before.responses,
    failureReasons: result.failureReasons,
  };
}

function progressLine(plan: LoadPlan, row: Row, run: RunReport): string {
  const lag = run.followUpLag;
  return (
    `  ${plan.name} / ${row.scenario.name} / ${row.app.name} run ${row.runs.length}: ` +
    `p50 ${ms(run.p50)}  p99 ${ms(run.p99)}  max ${ms(run.max)} ms, ${run.failures} failures, ` +
    `${run.rps.toFixed(0)} req/s, ${run.appCpuMsPerRequest.toFixed(2)} ms of the app's CPU per request, ` +
    `drained ${run.drainMs} ms after the load, ` +
    `other processes used ${run.otherCores.toFixed(2)} cores` +
    (lag ? `, modal opened p99 ${ms(lag.p99)} ms after the request` : '')
  );
}

/** Every scenario, `rounds` times per app, alternating which app goes first. */
async function measurePlan(
  sender: LoadSender,
  plan: LoadPlan,
  scenarios: readonly Scenario[],
  apps: readonly AppUnderTest[],
): Promise<Row[]> {
  console.log(`\n${loadTitle(plan)}: ${plan.describe()}`);
  const rows: Row[] = scenarios.flatMap((scenario) => apps.map((app) => ({ scenario, app, runs: [] })));
  for (const scenario of scenarios) {
    for (let round = 0; round < plan.rounds; round++) {
      const order = round % 2 === 0 ? apps : [...apps].reverse();
      for (const app of order) {
        const row = rows.find((r) => r.scenario === scenario && r.app === app)!;
        row.runs.push(await measure(sender, plan, round, app, scenario));
        console.log(progressLine(plan, row, row.runs.at(-1)!));
      }
    }
  }
  return rows;
}

async function runAckLatency(flags: ReadonlySet<string>): Promise<void> {
  const setupStarted = performance.now();
  const started: AppUnderTest[] = [];
  const sender = new LoadSender();
  try {
    const { app: refdesk, requestIds, where } = await startRefdesk(requestedDatabase(flags));
    started.push(refdesk);
    const scenarios = [commandScenario(), approveScenario(requestIds)];
    const [command, action] = [
      await viewOpenedBy(refdesk, scenarios[0]!),
      await viewOpenedBy(refdesk, scenarios[1]!),
    ];
    const baseline = await startBaseline({ command, action });
    started.push(baseline);
    const seconds = ((performance.now() - setupStarted) / 1000).toFixed(1);
    console.log(
      `set up in ${seconds} s (refdesk on ${where}; ${requestIds.length} requests submitted through it; each app runs in a ` +
        "process of its own with npm start's node flags, and has its own fake Slack Web API in another; " +
        `${BASELINE} opens the modals refdesk opened, ${JSON.stringify(command).length} and ` +
        `${JSON.stringify(action).length} characters of JSON)`,
    );
    const apps = [refdesk, baseline];
    if (flags.has('--listeners')) {
      const alike = await startBaseline({ command, action }, refdeskListenerCount());
      started.push(alike);
      apps.push(alike);
    }
    const paced = await measurePlan(sender, PACED, scenarios, apps);
    const unpaced = await measurePlan(sender, UNPACED, scenarios, apps);
    printReport(PACED, paced);
    printReport(UNPACED, unpaced);
    if (apps.length > 2) printListenerComparison(paced, unpaced, scenarios, apps[2]!.name);
    printVerdict(paced, unpaced, scenarios);
  } finally {
    await sender.close();
    for (const app of started.reverse()) await app.stop();
  }
}

export const ackLatency: Benchmark = {
  name: 'ack',
  description:
    `/reference and Approve with ${SENDERS} senders: refdesk vs ${BASELINE}, ack p99 paced and ` +
    'throughput unpaced (judged), and the time to views.open',
  flags: {
    '--postgres': 'refdesk on a fresh PostgreSQL database (BENCH_DATABASE_URL) instead of SQLite',
    '--listeners': 'also bare Bolt with as many listeners as refdesk registers (shown, not judged)',
  },
  run: runAckLatency,
};
