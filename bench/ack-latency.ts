import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { ACTIONS, COMMAND } from '../src/slack/ids';
import { FakeSlack } from '../test/support/fake-slack';
import { Harness, MANAGERS_CHANNEL } from '../test/support/harness';
import { createRequest, MANAGER, REP } from '../test/support/journey';
import { blockAction, SIGNING_SECRET, sample } from '../test/support/signed-client';
import type { Benchmark } from './benchmark';
import { type LoadJob, type LoadResult, monotonicMs, SEQUENCE, sendLoadInWorker } from './sender';
import { combineRuns, formatTable, type LatencySummary, median, ms, percentile, summarize } from './stats';

const SETTINGS = {
  concurrency: 50,
  warmup: 300,
  requests: 2000,
  /** Runs per app and scenario, alternating which app goes first; the report shows the median of each figure. */
  rounds: 5,
  /** Requests created through the real app before the clicks; the clicks go round-robin over them. */
  poolSize: 100,
  timeoutMs: 10_000,
  /** Target: refdesk's p99 at most this many times bare Bolt's, and no failed request. */
  maxP99Ratio: 1.5,
  /** Slack's trigger_ids expire this long after the interaction; a later views.open fails for real. */
  triggerTtlMs: 3_000,
};

/** Each request's trigger_id carries its sequence number, so its views.open can be matched to it. */
const TRIGGER_ID = `bench.${SEQUENCE}`;
const TRIGGER_PATTERN = /^bench\.(\d+)$/;

const FORM = 'application/x-www-form-urlencoded';

/** An app answering on `url`, with its own local Web API. */
interface AppUnderTest {
  name: string;
  url: string;
  slack: FakeSlack;
  stop(): Promise<void>;
}

interface Scenario {
  name: string;
  /** The Web API call the real app makes after the ack when all goes well. */
  followUp: string;
  bodies(app: AppUnderTest): string[];
}

const form = (fields: Record<string, unknown>): string =>
  new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString();

/** `/reference` with no text, as Slack sends it: refdesk acks, then opens the request modal. */
function commandScenario(): Scenario {
  return {
    name: '/reference',
    followUp: 'views.open',
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
    followUp: 'views.open',
    bodies: (app) =>
      requestIds.map((requestId) =>
        form({
          payload: JSON.stringify({
            ...blockAction({
              user: MANAGER,
              actionId: ACTIONS.approve,
              value: JSON.stringify({ requestId }),
              channel: MANAGERS_CHANNEL,
              responseUrl: app.slack.responseUrl(`approve-${requestId}`),
            }),
            trigger_id: TRIGGER_ID,
          }),
        }),
      ),
  };
}

async function startRefdesk(): Promise<{ app: AppUnderTest; requestIds: number[] }> {
  const h = await Harness.start();
  const requestIds: number[] = [];
  for (let i = 0; i < SETTINGS.poolSize; i++) requestIds.push(await createRequest(h));
  await h.settled();
  return {
    app: { name: 'refdesk', url: `${h.url}/slack/events`, slack: h.slack, stop: () => h.stop() },
    requestIds,
  };
}

/** Bolt with nothing but acks, on the same receiver, as the floor refdesk is measured against. */
async function startBareBolt(): Promise<AppUnderTest> {
  const slack = new FakeSlack();
  await slack.start();
  const app = new App({
    token: 'xoxb-bench-token',
    signingSecret: SIGNING_SECRET,
    // refdesk's harness logs at ERROR too; logging must not be the difference.
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: slack.apiUrl },
  });
  app.command(COMMAND, async ({ ack }) => ack());
  app.action(ACTIONS.approve, async ({ ack }) => ack());
  const server = (await app.start(0)) as Server;
  return {
    name: 'bare Bolt',
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    slack,
    async stop() {
      await app.stop();
      await slack.stop();
    },
  };
}

/**
 * Waits until the app's work after the acks has drained (no new Web API call for `quietMs`), so it
 * does not spill into the next run; resolves with how long the last call came after the load ended.
 */
async function quiesce(slack: FakeSlack, quietMs = 250, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  let seen = -1;
  let lastChange = started;
  while (Date.now() - started < timeoutMs) {
    const n = slack.calls.length + slack.responses.length;
    if (n !== seen) {
      if (seen !== -1) lastChange = Date.now();
      seen = n;
    } else if (Date.now() - lastChange >= quietMs) {
      return lastChange - started;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the app was still calling Slack 30 s after the load stopped');
}

/** From sending a request to its follow-up call reaching Slack: what the user waits for, and what expires. */
interface FollowUpLag {
  p50: number;
  p99: number;
  max: number;
  /** Measured requests whose follow-up came after the trigger_id expired, or never. */
  late: number;
}

/** Notes when each follow-up call reaches the fake Slack, by the sequence number in its trigger_id. */
function watchFollowUps(slack: FakeSlack, method: string) {
  const arrivals = new Map<number, number>();
  const stop = slack.intercept((call) => {
    const seq =
      call.method === method ? TRIGGER_PATTERN.exec(String(call.params.trigger_id))?.[1] : undefined;
    if (seq !== undefined) arrivals.set(Number(seq), monotonicMs());
    return undefined;
  });
  return { arrivals, stop };
}

function followUpLag(result: LoadResult, arrivals: ReadonlyMap<number, number>): FollowUpLag | null {
  if (arrivals.size === 0) return null;
  const lags: number[] = [];
  let missing = 0;
  result.sentAt.forEach((sentAt, i) => {
    const arrival = arrivals.get(SETTINGS.warmup + i);
    if (arrival === undefined) missing++;
    else lags.push(arrival - sentAt);
  });
  const sorted = Float64Array.from(lags).sort();
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: percentile(sorted, 100),
    late: missing + lags.filter((lag) => lag > SETTINGS.triggerTtlMs).length,
  };
}

interface RunReport extends LatencySummary {
  /** How long the app kept calling Slack after the load ended: its backlog of work done after acking. */
  drainMs: number;
  followUpLag: FollowUpLag | null;
  followUps: number;
  errorReplies: number;
  failureReasons: string[];
}

async function measure(app: AppUnderTest, scenario: Scenario): Promise<RunReport> {
  const job: LoadJob = {
    url: app.url,
    contentType: FORM,
    bodies: scenario.bodies(app),
    signingSecret: SIGNING_SECRET,
    concurrency: SETTINGS.concurrency,
    warmup: SETTINGS.warmup,
    requests: SETTINGS.requests,
    timeoutMs: SETTINGS.timeoutMs,
  };
  const watch = watchFollowUps(app.slack, scenario.followUp);
  const result = await sendLoadInWorker(job);
  const drainMs = await quiesce(app.slack);
  watch.stop();
  const report: RunReport = {
    ...summarize(result.latencies, result.failures, result.wallMs),
    drainMs,
    followUpLag: followUpLag(result, watch.arrivals),
    followUps: app.slack.callsTo(scenario.followUp).length,
    errorReplies: app.slack.responses.length,
    failureReasons: result.failureReasons,
  };
  // Start every run with an empty record, so memory and GC do not grow run over run.
  app.slack.calls.length = 0;
  app.slack.responses.length = 0;
  return report;
}

interface Row {
  scenario: Scenario;
  app: AppUnderTest;
  runs: RunReport[];
}

const combined = (row: Row): LatencySummary => combineRuns(row.runs);

function latencyTable(rows: readonly Row[]): string {
  const header = ['scenario', 'app', 'requests', 'failures', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'req/s'];
  return formatTable(
    [...header, 'p99 per run'],
    rows.map((row) => {
      const s = combined(row);
      return [
        row.scenario.name,
        row.app.name,
        String(s.requests),
        String(s.failures),
        ...[s.p50, s.p95, s.p99, s.max].map(ms),
        s.rps.toFixed(0),
        row.runs.map((r) => ms(r.p99)).join(' / '),
      ];
    }),
  );
}

/** For the apps that do work after the ack: how long until that work reached Slack. */
function followUpTable(rows: readonly Row[]): string {
  const lines = rows.flatMap((row) => {
    const lags = row.runs.map((r) => r.followUpLag).filter((lag): lag is FollowUpLag => lag !== null);
    if (lags.length === 0) return [];
    const mid = (pick: (lag: FollowUpLag) => number) => ms(median(lags.map(pick)));
    const late = lags.reduce((n, lag) => n + lag.late, 0);
    return [
      [
        row.scenario.name,
        row.app.name,
        row.scenario.followUp,
        mid((l) => l.p50),
        mid((l) => l.p99),
        mid((l) => l.max),
        String(late),
        lags.map((l) => ms(l.p99)).join(' / '),
      ],
    ];
  });
  const ttl = `after ${SETTINGS.triggerTtlMs / 1000} s`;
  const header = ['scenario', 'app', 'call', 'p50 ms', 'p99 ms', 'max ms', ttl, 'p99 per run'];
  return formatTable(header, lines, 3);
}

/** Why requests failed, and whether refdesk really did its work after each ack (else the figures flatter it). */
function workNotes(rows: readonly Row[]): string[] {
  const notes: string[] = [];
  for (const row of rows) {
    const label = `${row.scenario.name} / ${row.app.name}`;
    for (const reason of new Set(row.runs.flatMap((r) => r.failureReasons)))
      notes.push(`${label}: failure: ${reason}`);
    if (row.app.name !== 'refdesk') continue;
    const sent = (SETTINGS.warmup + SETTINGS.requests) * row.runs.length;
    const followUps = row.runs.reduce((n, r) => n + r.followUps, 0);
    const errorReplies = row.runs.reduce((n, r) => n + r.errorReplies, 0);
    const line = `${label}: ${followUps} of ${sent} requests led to ${row.scenario.followUp}, ${errorReplies} to an ephemeral reply`;
    notes.push(
      followUps === sent && errorReplies === 0 ? line : `WARNING ${line} (it did not do its real work)`,
    );
  }
  return notes;
}

function verdictFor(refdesk: LatencySummary, bare: LatencySummary): { ratio: number; problems: string[] } {
  const ratio = refdesk.p99 / bare.p99;
  const problems: string[] = [];
  if (!(ratio <= SETTINGS.maxP99Ratio)) problems.push(`p99 is ${ratio.toFixed(2)}x bare Bolt's`);
  if (refdesk.failures > 0) problems.push(`${refdesk.failures} failed requests`);
  if (bare.failures > 0) problems.push(`bare Bolt had ${bare.failures} failures, so the baseline is unsound`);
  return { ratio, problems };
}

/** The verdict table, and whether every scenario met the target. */
function verdictTable(
  rows: readonly Row[],
  scenarios: readonly Scenario[],
): { table: string; pass: boolean } {
  let pass = true;
  const lines = scenarios.map((scenario) => {
    const [refdesk, bare] = ['refdesk', 'bare Bolt'].map((name) =>
      combined(rows.find((r) => r.scenario === scenario && r.app.name === name)!),
    ) as [LatencySummary, LatencySummary];
    const { ratio, problems } = verdictFor(refdesk, bare);
    pass &&= problems.length === 0;
    const verdict = problems.length === 0 ? 'PASS' : `FAIL (${problems.join('; ')})`;
    return [
      scenario.name,
      ms(refdesk.p99),
      ms(bare.p99),
      `${ratio.toFixed(2)}x`,
      String(refdesk.failures),
      verdict,
    ];
  });
  const header = ['scenario', 'refdesk p99', 'bare p99', 'ratio', 'failures', 'verdict'];
  return { table: formatTable(header, lines, 1), pass };
}

function printReport(rows: readonly Row[], scenarios: readonly Scenario[]): void {
  console.log(latencyTable(rows));
  console.log(
    `\nLatency = request sent -> response fully received, ${SETTINGS.concurrency} in flight, ` +
      `${SETTINGS.requests} measured after ${SETTINGS.warmup} warm-up per run; figures are the median of ` +
      `${SETTINGS.rounds} runs per app (apps alternate), requests and failures are totals.`,
  );
  console.log(
    `\nAfter the ack (not part of the target): request sent -> its follow-up call reached Slack, ` +
      `and how many came after the trigger_id expired.\n`,
  );
  console.log(followUpTable(rows));
  console.log(`\n${workNotes(rows).join('\n')}`);
  const { table, pass } = verdictTable(rows, scenarios);
  console.log(`\nTarget: refdesk p99 <= ${SETTINGS.maxP99Ratio}x bare Bolt p99, and zero failed requests.\n`);
  console.log(table);
  console.log(`\nVerdict: ${pass ? 'PASS' : 'FAIL'}`);
}

/** Every scenario, `rounds` times per app, alternating which app goes first. */
async function measureAll(scenarios: readonly Scenario[], apps: readonly AppUnderTest[]): Promise<Row[]> {
  const rows: Row[] = scenarios.flatMap((scenario) => apps.map((app) => ({ scenario, app, runs: [] })));
  for (const scenario of scenarios) {
    for (let round = 0; round < SETTINGS.rounds; round++) {
      const order = round % 2 === 0 ? apps : [...apps].reverse();
      for (const app of order) {
        const run = await measure(app, scenario);
        rows.find((r) => r.scenario === scenario && r.app === app)!.runs.push(run);
        console.log(
          `  ${scenario.name} / ${app.name} run ${round + 1}: p50 ${ms(run.p50)}  p99 ${ms(run.p99)}  ` +
            `max ${ms(run.max)} ms, ${run.failures} failures, ${run.rps.toFixed(0)} req/s, ` +
            `backlog drained ${run.drainMs} ms after the load` +
            (run.followUpLag ? `, modal opened p99 ${ms(run.followUpLag.p99)} ms after the request` : ''),
        );
      }
    }
  }
  return rows;
}

async function runAckLatency(): Promise<void> {
  const setupStarted = performance.now();
  const started: AppUnderTest[] = [];
  try {
    const { app: refdesk, requestIds } = await startRefdesk();
    started.push(refdesk);
    started.push(await startBareBolt());
    const seconds = ((performance.now() - setupStarted) / 1000).toFixed(1);
    console.log(`set up in ${seconds} s (${requestIds.length} requests submitted through refdesk)`);
    const scenarios = [commandScenario(), approveScenario(requestIds)];
    const rows = await measureAll(scenarios, started);
    console.log('');
    printReport(rows, scenarios);
  } finally {
    for (const app of started.reverse()) await app.stop();
  }
}

export const ackLatency: Benchmark = {
  name: 'ack',
  description: `ack latency of /reference and Approve under ${SETTINGS.concurrency} concurrent senders, refdesk vs bare Bolt`,
  run: runAckLatency,
};
