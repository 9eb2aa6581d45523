import { availableParallelism } from 'node:os';
import type { ExternalSlack } from './external-slack.ts';
import type { LoadShape } from './sender.ts';
import { combineRuns, formatTable, type LatencySummary, median, ms } from './stats.ts';

/** What the ack benchmark holds refdesk to (issue 10), against the baseline. */
export const TARGET = {
  /** Paced load: refdesk's ack p99 at most this many times the baseline's. */
  maxP99Ratio: 1.5,
  /** Unpaced load: refdesk's throughput at least this share of the baseline's. */
  minThroughputRatio: 0.7,
  /** Both loads: from the request to its views.open reaching Slack, p99. */
  maxFollowUpP99Ms: 1_000,
  /** Slack's trigger_ids expire this long after the interaction; a later views.open fails for real. */
  triggerTtlMs: 3_000,
  /** Above this much CPU used by other processes during a run, the machine was not quiet enough to judge. */
  maxOtherCores: 0.25,
};

/** The app refdesk is judged against: bare Bolt that acks, then opens a modal of the same size. */
export const BASELINE = 'bare Bolt + views.open';

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
  bodies(app: AppUnderTest): string[];
}

/** One load shape, run `rounds` times per app and scenario. */
export interface LoadPlan {
  name: 'paced' | 'unpaced';
  rounds: number;
  shape(round: number): LoadShape;
  describe(): string;
}

/** From sending a request to its views.open reaching Slack: what the user waits for, and what expires. */
export interface FollowUpLag {
  p50: number;
  p99: number;
  max: number;
  /** Measured requests whose views.open came after the trigger_id expired, or never. */
  late: number;
}

export interface RunReport extends LatencySummary {
  /** How long the app kept calling Slack after the load ended: its backlog of work done after acking. */
  drainMs: number;
  /** Requests sent, warm-up included. */
  sent: number;
  /** How late the sender itself was against its schedule (paced load only). */
  maxSendLagMs: number;
  /** CPU the app's process used per request sent (warm-up included), in ms: its cost, whatever the machine. */
  appCpuMsPerRequest: number;
  /** CPU other processes on the machine used during the run, in cores: they skew every figure. */
  otherCores: number;
  followUpLag: FollowUpLag | null;
  /** views.open calls the fake Slack received during the run, warm-up included. */
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

/** The median over the runs of their views.open p99 (as the ack figures are), NaN if none reached Slack. */
const followUpP99 = (row: Row): number =>
  median(row.runs.flatMap((r) => (r.followUpLag ? [r.followUpLag.p99] : [])));

/** Requests that did not lead to exactly one views.open and no error reply: the figures would flatter the app. */
const unfinished = (row: Row): number =>
  row.runs.reduce((n, r) => n + Math.abs(r.sent - r.followUps) + r.errorReplies, 0);

export const loadTitle = (plan: LoadPlan): string => `${plan.name.toUpperCase()} load`;

/** One load's figures per scenario and app: the ack, then the views.open after it. */
export function printReport(plan: LoadPlan, rows: readonly Row[]): void {
  console.log(`\n=== ${loadTitle(plan)}: ${plan.describe()}\n`);
  const header = ['scenario', 'app', 'requests', 'failures', 'p50 ms', 'p99 ms', 'max ms', 'req/s'];
  const ttl = `open > ${TARGET.triggerTtlMs / 1000} s`;
  const lines = rows.map((row) => {
    const s = combined(row);
    const late = row.runs.reduce((n, r) => n + (r.followUpLag?.late ?? r.requests), 0);
    return [
      row.scenario.name,
      row.app.name,
      String(s.requests),
      String(s.failures),
      ...[s.p50, s.p99, s.max].map(ms),
      s.rps.toFixed(0),
      ms(followUpP99(row)),
      String(late),
      row.runs.map((r) => ms(r.p99)).join(' / '),
    ];
  });
  console.log(formatTable([...header, 'open p99 ms', ttl, 'p99 per run'], lines));
  console.log(
    '\nAck = request sent -> response fully received; open = request sent -> its views.open reached the ' +
      `fake Slack ("${ttl}": after the trigger_id expired, or never). Figures are the median over the runs ` +
      '(apps alternate), requests, failures and late opens are totals.',
  );
  const notes = workNotes(rows);
  if (notes.length > 0) console.log(`\n${notes.join('\n')}`);
}

/** Why requests failed, whether the sender kept up, and whether each app really did its work after each ack. */
function workNotes(rows: readonly Row[]): string[] {
  return rows.flatMap((row) => {
    const label = `${row.scenario.name} / ${row.app.name}`;
    const notes = [...new Set(row.runs.flatMap((r) => r.failureReasons))].map(
      (r) => `${label}: failure: ${r}`,
    );
    const sendLag = Math.max(...row.runs.map((r) => r.maxSendLagMs));
    if (sendLag > 20) notes.push(`${label}: the sender fell up to ${ms(sendLag)} ms behind its schedule`);
    if (unfinished(row) > 0) {
      const [sent, opened, replies] = [
        row.runs.reduce((n, r) => n + r.sent, 0),
        row.runs.reduce((n, r) => n + r.followUps, 0),
        row.runs.reduce((n, r) => n + r.errorReplies, 0),
      ];
      notes.push(
        `WARNING ${label}: ${sent} requests sent (warm-up included) led to ${opened} views.open and ` +
          `${replies} ephemeral replies: it did not do its real work`,
      );
    }
    return notes;
  });
}

/** A warning when other processes competed for the CPU during some run, else null. */
function contention(rows: readonly Row[]): string | null {
  const worst = Math.max(...rows.flatMap((row) => row.runs.map((r) => r.otherCores)));
  if (!(worst > TARGET.maxOtherCores)) return null;
  return (
    `WARNING: other processes used up to ${worst.toFixed(2)} of this machine's ${availableParallelism()} ` +
    'cores during these runs, so these figures measure the machine more than the apps. Rerun when it is quiet.'
  );
}

/**
 * Not judged: refdesk against bare Bolt with as many listeners as refdesk registers, and that app against the
 * judged baseline: what the listener count alone costs, since Bolt runs every listener's middleware for every
 * request (`npm run bench -- ack --listeners`).
 */
export function printListenerComparison(
  paced: readonly Row[],
  unpaced: readonly Row[],
  scenarios: readonly Scenario[],
  withListeners: string,
): void {
  const header = ['scenario', 'paced p99 ms', 'baseline', 'ratio', 'unpaced req/s', 'baseline', 'ratio'];
  for (const [app, baseline] of [
    ['refdesk', withListeners],
    [withListeners, BASELINE],
  ] as const) {
    const lines = scenarios.map((scenario) => [
      scenario.name,
      ...against(paced, unpaced, scenario, baseline, app).cells,
    ]);
    console.log(`\n=== Not judged: ${app} against ${baseline}\n`);
    console.log(formatTable(header, lines, 1));
  }
}

/**
 * `app`'s paced p99 and unpaced throughput in `scenario` against `baseline`'s, as ratios and as the table's
 * cells (both figures and the ratio of each).
 */
function against(
  paced: readonly Row[],
  unpaced: readonly Row[],
  scenario: Scenario,
  baseline: string,
  app = 'refdesk',
) {
  const of = (rows: readonly Row[], app: string) =>
    combined(rows.find((r) => r.scenario === scenario && r.app.name === app)!);
  const [p99, baseP99] = [of(paced, app).p99, of(paced, baseline).p99];
  const [rps, baseRps] = [of(unpaced, app).rps, of(unpaced, baseline).rps];
  const [p99Ratio, rpsRatio] = [p99 / baseP99, rps / baseRps];
  const cells = [
    ms(p99),
    ms(baseP99),
    `${p99Ratio.toFixed(2)}x`,
    rps.toFixed(0),
    baseRps.toFixed(0),
    `${rpsRatio.toFixed(2)}x`,
  ];
  return { p99Ratio, rpsRatio, cells };
}

/**
 * The verdict, one line per scenario: paced ack p99 and unpaced throughput against the baseline, refdesk's
 * views.open p99 under either load, and no failed or unfinished request from either app under either load.
 */
export function printVerdict(
  paced: readonly Row[],
  unpaced: readonly Row[],
  scenarios: readonly Scenario[],
): void {
  const problems: string[] = [];
  const lines = scenarios.map((scenario) => {
    const find = (rows: readonly Row[], app: string) =>
      rows.find((r) => r.scenario === scenario && r.app.name === app)!;
    const mine = { paced: find(paced, 'refdesk'), unpaced: find(unpaced, 'refdesk') };
    const theirs = { paced: find(paced, BASELINE), unpaced: find(unpaced, BASELINE) };
    const { p99Ratio, rpsRatio, cells } = against(paced, unpaced, scenario, BASELINE);
    const open = Math.max(followUpP99(mine.paced), followUpP99(mine.unpaced));
    const failed = (app: { paced: Row; unpaced: Row }) =>
      combined(app.paced).failures + combined(app.unpaced).failures;
    const undone = (app: { paced: Row; unpaced: Row }) => unfinished(app.paced) + unfinished(app.unpaced);
    const own: string[] = [];
    if (!(p99Ratio <= TARGET.maxP99Ratio)) own.push(`paced p99 is ${p99Ratio.toFixed(2)}x the baseline's`);
    if (!(rpsRatio >= TARGET.minThroughputRatio))
      own.push(`unpaced throughput is ${rpsRatio.toFixed(2)}x the baseline's`);
    if (!(open <= TARGET.maxFollowUpP99Ms)) own.push(`views.open p99 is ${ms(open)} ms`);
    if (failed(mine) > 0) own.push(`${failed(mine)} failed requests`);
    if (undone(mine) > 0) own.push(`${undone(mine)} requests without their one views.open`);
    if (failed(theirs) + undone(theirs) > 0) own.push('the baseline failed or did not open its modals');
    problems.push(...own.map((p) => `${scenario.name}: ${p}`));
    return [
      scenario.name,
      ...cells,
      ms(open),
      `${failed(mine)} / ${failed(theirs)}`,
      own.length === 0 ? 'PASS' : 'FAIL',
    ];
  });
  console.log(
    `\n=== Verdict: refdesk against ${BASELINE} (bare Bolt that acks, then opens a modal of the same size)\n`,
  );
  const header = [
    'scenario',
    'paced p99 ms',
    'baseline',
    `ratio <= ${TARGET.maxP99Ratio}x`,
    'unpaced req/s',
    'baseline',
    `ratio >= ${TARGET.minThroughputRatio}x`,
    `open p99 <= ${TARGET.maxFollowUpP99Ms} ms`,
    'failed (refdesk / baseline)',
    'verdict',
  ];
  console.log(formatTable(header, lines, 1));
  if (problems.length > 0) console.log(`\n${problems.join('\n')}`);
  const warning = contention([...paced, ...unpaced]);
  if (warning) console.log(`\n${warning}`);
  const verdict = problems.length === 0 ? 'PASS' : 'FAIL';
  console.log(`\nVerdict: ${verdict}${warning ? ' (unreliable: the machine was busy)' : ''}`);
}
