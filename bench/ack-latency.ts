import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { ACTIONS, COMMAND } from '../src/slack/ids';
import { FakeSlack } from '../test/support/fake-slack';
import { Harness, MANAGERS_CHANNEL } from '../test/support/harness';
import { createRequest, MANAGER, REP } from '../test/support/journey';
import { blockAction, SIGNING_SECRET, sample } from '../test/support/signed-client';
import type { Benchmark } from './benchmark';
import { type LoadJob, sendLoadInWorker } from './sender';
import { combineRuns, formatTable, type LatencySummary, ms, summarize } from './stats';

const SETTINGS = {
  concurrency: 50,
  warmup: 300,
  requests: 2000,
  /** Runs per app and scenario, alternating which app goes first; the report takes the median run. */
  rounds: 3,
  /** Requests created through the real app before the clicks; the clicks go round-robin over them. */
  poolSize: 100,
  timeoutMs: 10_000,
  /** Target: refdesk's p99 at most this many times bare Bolt's, and no failed request. */
  maxP99Ratio: 1.5,
};

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
    bodies: (app) =>
      Array.from({ length: 50 }, (_, i) =>
        form({
          ...sample('SlashCommandPayload'),
          command: COMMAND,
          text: '',
          team_id: 'T0123',
          channel_id: 'C0GENERAL',
          user_id: REP,
          trigger_id: `bench.${i}.trigger`,
          response_url: app.slack.responseUrl(`cmd-${i}`),
        }),
      ),
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
          payload: JSON.stringify(
            blockAction({
              user: MANAGER,
              actionId: ACTIONS.approve,
              value: JSON.stringify({ requestId }),
              channel: MANAGERS_CHANNEL,
              responseUrl: app.slack.responseUrl(`approve-${requestId}`),
            }),
          ),
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

/** Waits until the app's work after the acks has drained (no new Web API calls for a while). */
async function quiesce(slack: FakeSlack, quietMs = 250, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const n = slack.calls.length + slack.responses.length;
    if (n !== seen) {
      seen = n;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= quietMs) {
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the app was still calling Slack 30 s after the load stopped');
}

interface RunReport extends LatencySummary {
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
  const result = await sendLoadInWorker(job);
  await quiesce(app.slack);
  const report: RunReport = {
    ...summarize(result.latencies, result.failures, result.wallMs),
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

function verdictFor(refdesk: LatencySummary, bare: LatencySummary): { ratio: number; problems: string[] } {
  const ratio = refdesk.p99 / bare.p99;
  const problems: string[] = [];
  if (!(ratio <= SETTINGS.maxP99Ratio)) problems.push(`p99 is ${ratio.toFixed(2)}x bare Bolt's`);
  if (refdesk.failures > 0) problems.push(`${refdesk.failures} failed requests`);
  if (bare.failures > 0) problems.push(`bare Bolt had ${bare.failures} failures, so the baseline is unsound`);
  return { ratio, problems };
}

function printReport(rows: readonly Row[], scenarios: readonly Scenario[]): boolean {
  const table = rows.map((row) => {
    const s = combineRuns(row.runs);
    return [
      row.scenario.name,
      row.app.name,
      String(s.requests),
      String(s.failures),
      ms(s.p50),
      ms(s.p95),
      ms(s.p99),
      ms(s.max),
      s.rps.toFixed(0),
      row.runs.map((r) => ms(r.p99)).join(' / '),
    ];
  });
  console.log(
    formatTable(
      [
        'scenario',
        'app',
        'requests',
        'failures',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        'req/s',
        'p99 per run',
      ],
      table,
    ),
  );
  console.log(
    `\nLatency = request sent -> response fully received, ${SETTINGS.concurrency} in flight, ` +
      `${SETTINGS.requests} measured after ${SETTINGS.warmup} warm-up per run; ` +
      `figures are the median of ${SETTINGS.rounds} runs per app (apps alternate), requests and failures are totals.`,
  );

  const notes: string[] = [];
  for (const row of rows) {
    for (const reason of new Set(row.runs.flatMap((r) => r.failureReasons))) {
      notes.push(`${row.scenario.name} / ${row.app.name}: failure: ${reason}`);
    }
    if (row.app.name !== 'refdesk') continue;
    const sent = (SETTINGS.warmup + SETTINGS.requests) * row.runs.length;
    const followUps = row.runs.reduce((n, r) => n + r.followUps, 0);
    const errorReplies = row.runs.reduce((n, r) => n + r.errorReplies, 0);
    const line = `${row.scenario.name} / refdesk: ${followUps} of ${sent} requests led to ${row.scenario.followUp}, ${errorReplies} to an ephemeral reply`;
    notes.push(
      followUps === sent && errorReplies === 0 ? line : `WARNING ${line} (the app did not do its real work)`,
    );
  }
  console.log(`\n${notes.join('\n')}`);

  let allPass = true;
  const verdicts = scenarios.map((scenario) => {
    const pick = (name: string) =>
      combineRuns(rows.find((r) => r.scenario === scenario && r.app.name === name)!.runs);
    const refdesk = pick('refdesk');
    const bare = pick('bare Bolt');
    const { ratio, problems } = verdictFor(refdesk, bare);
    allPass &&= problems.length === 0;
    return [
      scenario.name,
      ms(refdesk.p99),
      ms(bare.p99),
      `${ratio.toFixed(2)}x`,
      String(refdesk.failures),
      problems.length === 0 ? 'PASS' : `FAIL (${problems.join('; ')})`,
    ];
  });
  console.log(`\nTarget: refdesk p99 <= ${SETTINGS.maxP99Ratio}x bare Bolt p99, and zero failed requests.\n`);
  console.log(
    formatTable(['scenario', 'refdesk p99', 'bare p99', 'ratio', 'failures', 'verdict'], verdicts, 1),
  );
  console.log(`\nVerdict: ${allPass ? 'PASS' : 'FAIL'}`);
  return allPass;
}

async function runAckLatency(): Promise<void> {
  const setupStarted = performance.now();
  const started: AppUnderTest[] = [];
  try {
    const { app: refdesk, requestIds } = await startRefdesk();
    started.push(refdesk);
    const bare = await startBareBolt();
    started.push(bare);
    console.log(
      `set up in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s (${requestIds.length} requests submitted through refdesk)`,
    );

    const scenarios = [commandScenario(), approveScenario(requestIds)];
    const rows: Row[] = scenarios.flatMap((scenario) =>
      [refdesk, bare].map((app) => ({ scenario, app, runs: [] as RunReport[] })),
    );
    for (const scenario of scenarios) {
      for (let round = 0; round < SETTINGS.rounds; round++) {
        const order = round % 2 === 0 ? [refdesk, bare] : [bare, refdesk];
        for (const app of order) {
          const run = await measure(app, scenario);
          rows.find((r) => r.scenario === scenario && r.app === app)!.runs.push(run);
          console.log(
            `  ${scenario.name} / ${app.name} run ${round + 1}: p50 ${ms(run.p50)}  p99 ${ms(run.p99)}  ` +
              `max ${ms(run.max)} ms, ${run.failures} failures, ${run.rps.toFixed(0)} req/s`,
          );
        }
      }
    }
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
