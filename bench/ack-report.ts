import { availableParallelism } from 'node:os';
import type { ExternalSlack } from './external-slack.ts';
import type { LoadShape } from './sender.ts';
import { combineRuns, formatTable, type LatencySummary, median, ms } from './stats.ts';

/** What the ack benchmark holds refdesk to, and when its work after the ack comes too late. */
export const TARGET = {
  /** refdesk's p99 at most this many times bare Bolt's (under the judged load), and no failed request. */
  maxP99Ratio: 1.5,
  /** Slack's trigger_ids expire this long after the interaction; a later views.open fails for real. */
  triggerTtlMs: 3_000,
  /** Above this much CPU used by other processes during a run, the machine was not quiet enough to judge. */
  maxOtherCores: 0.25,
};

/** The baseline the target is judged against, and the informational one that also makes the follow-up call. */
export const BARE = 'bare Bolt';
export const BARE_WITH_FOLLOW_UP = 'bare Bolt + views.open';

/** An app answering on `url`, with its own fake Slack in another process. */
export interface AppUnderTest {
  name: string;
  url: string;
  slack: ExternalSlack;
  /** CPU its process has used so far, in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export interface Scenario {
  name: string;
  /** The Web API call the real app makes after the ack when all goes well. */
  followUp: string;
  bodies(app: AppUnderTest): string[];
}

/** One load shape, run `rounds` times per app and scenario. */
export interface LoadPlan {
  name: string;
  /** Whether the verdict is judged on this load. */
  judged: boolean;
  rounds: number;
  shape(round: number): LoadShape;
  describe(): string;
}

/** From sending a request to its follow-up call reaching Slack: what the user waits for, and what expires. */
export interface FollowUpLag {
  p50: number;
  p99: number;
  max: number;
  /** Measured requests whose follow-up came after the trigger_id expired, or never. */
  late: number;
}

export interface RunReport extends LatencySummary {
  /** How long the app kept calling Slack after the load ended: its backlog of work done after acking. */
  drainMs: number;
  /** Requests sent, warm-up included. */
  sent: number;
  /** How late the sender itself was against its schedule (paced load only). */
  maxSendLagMs: number;
  /** CPU other processes on the machine used during the run, in cores: they skew every figure. */
  otherCores: number;
  followUpLag: FollowUpLag | null;
  /** Calls of the scenario's follow-up method the fake Slack received during the run. */
  followUps: number;
  errorReplies: number;
  failureReasons: string[];
}

export interface Row {
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
  const ttl = `after ${TARGET.triggerTtlMs / 1000} s`;
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
    const sendLag = Math.max(...row.runs.map((r) => r.maxSendLagMs));
    if (sendLag > 20) notes.push(`${label}: the sender fell up to ${ms(sendLag)} ms behind its schedule`);
    if (row.app.name !== 'refdesk' && row.app.name !== BARE_WITH_FOLLOW_UP) continue;
    const sent = row.runs.reduce((n, r) => n + r.sent, 0);
    const followUps = row.runs.reduce((n, r) => n + r.followUps, 0);
    const errorReplies = row.runs.reduce((n, r) => n + r.errorReplies, 0);
    const line =
      `${label}: ${followUps} of ${sent} requests sent (warm-up included) led to ` +
      `${row.scenario.followUp}, ${errorReplies} to an ephemeral reply`;
    notes.push(
      followUps === sent && errorReplies === 0 ? line : `WARNING ${line} (it did not do its real work)`,
    );
  }
  return notes;
}

export const loadTitle = (plan: LoadPlan): string =>
  `${plan.name.toUpperCase()} load (${plan.judged ? 'the verdict is judged on this one' : 'for information only'})`;

/** A warning when other processes competed for the CPU during some run, else null. */
function contention(rows: readonly Row[]): string | null {
  const worst = Math.max(...rows.flatMap((row) => row.runs.map((r) => r.otherCores)));
  if (!(worst > TARGET.maxOtherCores)) return null;
  return (
    `WARNING: other processes used up to ${worst.toFixed(2)} of this machine's ${availableParallelism()} ` +
    'cores during these runs, so these figures measure the machine more than the apps. Rerun when it is quiet.'
  );
}

/** One load shape's tables: ack latency, then what happened after the ack. */
export function printReport(plan: LoadPlan, rows: readonly Row[]): void {
  console.log(`\n=== ${loadTitle(plan)}: ${plan.describe()}\n`);
  console.log(latencyTable(rows));
  console.log(
    '\nLatency = request sent -> response fully received, from each request’s own send time. ' +
      'Figures are the median over the runs (apps alternate), requests and failures are totals.',
  );
  console.log(
    '\nAfter the ack (not part of the target): request sent -> its follow-up call reached the fake Slack, ' +
      'and how many came after the trigger_id expired, or never.\n',
  );
  console.log(followUpTable(rows));
  console.log(`\n${workNotes(rows).join('\n')}`);
  const warning = contention(rows);
  if (warning) console.log(`\n${warning}`);
}

function verdictFor(refdesk: LatencySummary, bare: LatencySummary): { ratio: number; problems: string[] } {
  const ratio = refdesk.p99 / bare.p99;
  const problems: string[] = [];
  if (!(ratio <= TARGET.maxP99Ratio)) problems.push(`p99 is ${ratio.toFixed(2)}x bare Bolt's`);
  if (refdesk.failures > 0) problems.push(`${refdesk.failures} failed requests`);
  if (bare.failures > 0) problems.push(`bare Bolt had ${bare.failures} failures, so the baseline is unsound`);
  return { ratio, problems };
}

/** The verdict on the judged load: every scenario must meet the target. */
export function printVerdict(plan: LoadPlan, rows: readonly Row[], scenarios: readonly Scenario[]): void {
  let pass = true;
  const lines = scenarios.map((scenario) => {
    const summary = (name: string) => {
      const row = rows.find((r) => r.scenario === scenario && r.app.name === name);
      return row ? combined(row) : null;
    };
    const [refdesk, bare, withFollowUp] = [summary('refdesk')!, summary(BARE)!, summary(BARE_WITH_FOLLOW_UP)];
    const { ratio, problems } = verdictFor(refdesk, bare);
    pass &&= problems.length === 0;
    const verdict = problems.length === 0 ? 'PASS' : `FAIL (${problems.join('; ')})`;
    return [
      scenario.name,
      ms(refdesk.p99),
      ms(bare.p99),
      `${ratio.toFixed(2)}x`,
      withFollowUp ? `${ms(withFollowUp.p99)} (${(refdesk.p99 / withFollowUp.p99).toFixed(2)}x)` : '-',
      String(refdesk.failures),
      verdict,
    ];
  });
  console.log(
    `\n=== Verdict, judged on the ${plan.name.toUpperCase()} load only: refdesk p99 <= ` +
      `${TARGET.maxP99Ratio}x bare Bolt p99 in every scenario, and zero failed requests.\n`,
  );
  const header = [
    'scenario',
    'refdesk p99',
    'bare p99',
    'ratio',
    `${BARE_WITH_FOLLOW_UP} p99`,
    'failures',
    'verdict',
  ];
  console.log(formatTable(header, lines, 1));
  console.log(
    `\n${BARE_WITH_FOLLOW_UP} (information only, not judged): bare Bolt that also opens a modal the size of ` +
      "refdesk's request form after each ack, through Bolt's own client. It shows how much of the gap to bare " +
      "Bolt is the one Web API call every request needs, on this machine, rather than refdesk's own work.",
  );
  const warning = contention(rows);
  if (warning) console.log(`\n${warning}`);
  console.log(`\nVerdict: ${pass ? 'PASS' : 'FAIL'}${warning ? ' (unreliable: the machine was busy)' : ''}`);
}
