import type { ChildProcess } from 'node:child_process';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { DirectoryImport } from '../src/services/directory-import.ts';
import { ACTIONS, messageKey } from '../src/slack/ids.ts';
import { type Db, migrate, openDatabase } from '../src/store/database.ts';
import { type ApiCall, type FakeReply, FakeSlack } from '../test/support/fake-slack.ts';
import { approvalAnswers, requestAnswers } from '../test/support/journey.ts';
import { blockAction, nextTrigger, SignedClient, type SlackResponse } from '../test/support/signed-client.ts';
import { type ShownView, shownView, submissionOf } from '../test/support/views.ts';
import { createBenchDatabase, type DatabaseKind, requestedDatabase } from './bench-database.ts';
import type { Benchmark } from './benchmark.ts';
import { BOT_MANAGER, BOT_MANAGERS_CHANNEL, BOT_SIGNING_SECRET, startBot, stopBot } from './bot-process.ts';
import { formatTable, ms, percentile } from './stats.ts';

const JOURNEYS = Number(process.env.CHAOS_JOURNEYS ?? 200);
/** One Web API call in five misbehaves. */
const FAULT_RATE = 0.2;
const TARGET = { drainMs: 30_000, ackMs: 3_000 };
/** How long a user waits for a modal before trying again (a hung views.open answers after 10-15 s). */
const MODAL_WAIT_MS = 20_000;
const JOURNEY_DEADLINE_MS = 10 * 60_000;

type Fault = 'http 500' | '429' | 'hang' | 'reset before acting' | 'reset after acting';
const FAULTS: readonly Fault[] = ['http 500', '429', 'hang', 'reset before acting', 'reset after acting'];

/** A seeded generator, so every run injects the same faults in the same order of calls. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Slack misbehaving on one call in five, each way it does: a 500 or a 429 (Slack did nothing), a call
 * that hangs 10-15 s (a post is made; a modal's trigger has expired by then), or a connection reset
 * before or after Slack acted.
 */
function chaos(slack: FakeSlack, injected: Map<Fault, number>): void {
  const next = random(20261202);
  slack.intercept((call: ApiCall): FakeReply | undefined => {
    if (call.method === 'auth.test' || next() >= FAULT_RATE) return undefined;
    const fault = FAULTS[Math.floor(next() * FAULTS.length)]!;
    injected.set(fault, (injected.get(fault) ?? 0) + 1);
    const hangMs = 10_000 + Math.round(next() * 5_000);
    switch (fault) {
      case 'http 500':
        return { status: 500, body: 'internal error' };
      case '429':
        return {
          status: 429,
          headers: { 'Retry-After': String(1 + Math.floor(next() * 3)) },
          body: { ok: false, error: 'ratelimited' },
        };
      case 'hang':
        return call.method.startsWith('views.')
          ? { delayMs: hangMs, body: { ok: false, error: 'expired_trigger_id' } }
          : { acted: true, delayMs: hangMs };
      case 'reset before acting':
        return { reset: true };
      case 'reset after acting':
        return { acted: true, reset: true };
    }
  });
}

/** One contact per journey, each at an account of its own with an owner of its own, so program rules never get in the way. */
function directory(journeys: number): string {
  const rows = [
    'account,account_id,industry,region,company_size,products,owner,contact_name,contact_email,title,seniority,activities',
  ];
  for (let i = 1; i <= journeys; i++) {
    rows.push(
      `Account ${i},CH-${i},Healthcare,EMEA,1000-4999,Analytics,U0CHOWN${i},Person ${i},person${i}@chaos.example,CFO,c_level,reference_call`,
    );
  }
  return `${rows.join('\n')}\n`;
}

const sleep = (msToWait: number) => new Promise((r) => setTimeout(r, msToWait));

async function poll<T>(
  probe: () => Promise<T | undefined | null>,
  what: string,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(200);
  }
}

/** How the chaos run is set up: `npm run bench -- chaos` is one replica on SQLite, `-- replicas` two on PostgreSQL. */
export interface ChaosOptions {
  /** refdesk processes sharing one database; each request goes to one of them, picked at random (seeded). */
  replicas: number;
  database: DatabaseKind;
  journeys: number;
}

/** The requests a journey sends, in its order: acks are reported per kind. */
const REQUEST_KINDS = [
  '/reference',
  'request form submitted',
  'Approve clicked',
  'approval submitted',
  'owner agreed',
] as const;
type RequestKind = (typeof REQUEST_KINDS)[number];

/** What journeys wait for in the database: requests by rep, asks by request, and the keys of posted messages. */
interface Seen {
  requests: Map<string, number>;
  asks: Map<number, { id: number; owner_id: string }>;
  refs: Set<string>;
}

/** Promise.withResolvers, which Node 20 lacks. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Reads what journeys wait for in one go, every 200 ms, for all of them: 200 journeys each polling on its
 * own made a thousand queries a second, more load on PostgreSQL than the bots under test put on it.
 */
class Watch {
  private seen: Seen = { requests: new Map(), asks: new Map(), refs: new Set() };
  private next = deferred();
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(private readonly db: Db) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const [requests, asks, refs] = await Promise.all([
        this.db('reference_requests').select('id', 'requester_id') as Promise<
          { id: number; requester_id: string }[]
        >,
        this.db('reference_asks').select('id', 'request_id', 'owner_id') as Promise<
          { id: number; request_id: number; owner_id: string }[]
        >,
        this.db('message_refs').pluck('key') as Promise<string[]>,
      ]).catch(() => [null, null, null] as const);
      if (requests && asks && refs) {
        this.seen = {
          requests: new Map(requests.map((r) => [r.requester_id, r.id])),
          asks: new Map(asks.map((a) => [a.request_id, { id: a.id, owner_id: a.owner_id }])),
          refs: new Set(refs),
        };
      }
      const tick = this.next;
      this.next = deferred();
      tick.resolve();
      await sleep(200);
    }
  }

  async until<T>(probe: (seen: Seen) => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = probe(this.seen);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
      await this.next.promise;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

interface Run {
  slack: FakeSlack;
  watch: Watch;
  /** One signed client per replica. */
  clients: SignedClient[];
  /** Which replica the next request goes to. */
  pickReplica: () => number;
  /** Requests sent to each replica. */
  sentTo: number[];
  db: Db;
  journeys: number;
  acks: Map<RequestKind, number[]>;
  ackFailures: string[];
  /** The bench's own event loop: when it lags, the acks it times look slower than they were. */
  loopDelay: IntervalHistogram;
  lastClickAt: number;
  responses: number;
}

/** Sends a signed request as Slack would, to one of the replicas, and times its ack. */
async function send(
  run: Run,
  what: RequestKind,
  request: (client: SignedClient) => Promise<SlackResponse>,
): Promise<SlackResponse> {
  const replica = Math.floor(run.pickReplica() * run.clients.length);
  run.sentTo[replica]!++;
  const started = performance.now();
  const res = await request(run.clients[replica]!);
  run.acks.get(what)!.push(performance.now() - started);
  if (res.status !== 200) run.ackFailures.push(`${what} (replica ${replica + 1}): HTTP ${res.status}`);
  return res;
}

/**
 * Does what a user does after an action that should open a modal: waits for it, and tries again
 * when refdesk says it could not (or nothing shows) — each try is a new click, with a new trigger.
 */
async function openModal(
  run: Run,
  act: (trigger: string, responseUrl: string) => Promise<SlackResponse>,
): Promise<ShownView> {
  for (let attempt = 1; ; attempt++) {
    const trigger = nextTrigger();
    const responseUrl = run.slack.responseUrl(`chaos-${++run.responses}`);
    const path = new URL(responseUrl).pathname;
    await act(trigger, responseUrl);
    const deadline = Date.now() + MODAL_WAIT_MS;
    while (Date.now() < deadline) {
      const view = shownView(run.slack, trigger);
      if (view) return view;
      if (run.slack.responses.some((r) => r.path === path)) break;
      await sleep(100);
    }
    if (attempt === 10) throw new Error('the modal did not open in 10 tries');
  }
}

/** Waits until refdesk has posted the message it remembers under `key` (a card, a nudge). */
const posted = (run: Run, key: string, what: string) =>
  run.watch.until((seen) => seen.refs.has(key) || undefined, what, JOURNEY_DEADLINE_MS);

/** A rep asks, a manager approves from the card, the contact's owner agrees. */
async function journey(run: Run, i: number, contactId: number): Promise<void> {
  const rep = `U0CHREP${i}`;
  const form = await openModal(run, (trigger, responseUrl) =>
    send(run, '/reference', (c) =>
      c.command({ user_id: rep, text: '', trigger_id: trigger, response_url: responseUrl }),
    ),
  );
  const submitted = await send(run, 'request form submitted', (c) =>
    c.interaction(submissionOf(form, rep, requestAnswers(form, { prospect: `Prospect ${i}` }))),
  );
  if (submitted.text) throw new Error(`the request form was refused: ${submitted.text}`);
  const requestId = await run.watch.until((seen) => seen.requests.get(rep), `the request of ${rep}`, 60_000);
  const request = { id: requestId };
  // A manager clicks Approve on the card, so the card must be there (cards go out about one a second).
  await posted(run, messageKey.card(request.id), `the card of request ${request.id}`);
  const modal = await openModal(run, (trigger, responseUrl) =>
    send(run, 'Approve clicked', (c) =>
      c.interaction({
        ...blockAction({
          user: BOT_MANAGER,
          actionId: ACTIONS.approve,
          value: JSON.stringify({ requestId: request.id }),
          channel: BOT_MANAGERS_CHANNEL,
          responseUrl,
        }),
        trigger_id: trigger,
      }),
    ),
  );
  const approved = await send(run, 'approval submitted', (c) =>
    c.interaction(submissionOf(modal, BOT_MANAGER, approvalAnswers(modal, { contact: contactId }))),
  );
  if (approved.text) throw new Error(`the approval was refused: ${approved.text}`);
  const ask = await run.watch.until(
    (seen) => seen.asks.get(request.id),
    `the ask of request ${request.id}`,
    60_000,
  );
  // The owner answers from the nudge, so the nudge must be there.
  await posted(run, messageKey.nudge(ask.id), `the nudge of ask ${ask.id}`);
  await send(run, 'owner agreed', (c) =>
    c.interaction(
      blockAction({
        user: ask.owner_id,
        actionId: ACTIONS.ownerAgreed,
        value: JSON.stringify({ askId: ask.id }),
        channel: `D${ask.owner_id.slice(1)}`,
        responseUrl: run.slack.responseUrl(`chaos-${++run.responses}`),
        blockId: 'owner_answer',
      }),
    ),
  );
  run.lastClickAt = Math.max(run.lastClickAt, Date.now());
}

/** Each replica has a bot token of its own, so a call to the fake Slack names the replica that made it. */
const tokenOf = (replica: number) => `xoxb-bench-replica-${replica + 1}`;
const replicaOf = (call: ApiCall) => Number(/replica-(\d+)$/.exec(call.token ?? '')?.[1] ?? 0);

/** A successful post that carries an outbox delivery id in its metadata (every post refdesk makes does). */
interface Post {
  delivery: number;
  replica: number;
  at: number;
  channel: string;
  ts: string;
}

function postsOf(slack: FakeSlack): Post[] {
  return slack.callsTo('chat.postMessage').flatMap((call) => {
    if (!call.succeeded) return [];
    const delivery = (call.params.metadata as { event_payload?: { delivery?: number } } | undefined)
      ?.event_payload?.delivery;
    const { channel = '', ts = '' } = (call.response ?? {}) as { channel?: string; ts?: string };
    return typeof delivery === 'number'
      ? [{ delivery, replica: replicaOf(call), at: call.at, channel, ts }]
      : [];
  });
}

/** Every post carries its outbox delivery id in metadata: more than one post per id is a duplicate. */
function postsByDelivery(posts: readonly Post[]): Map<number, Post[]> {
  const byDelivery = new Map<number, Post[]>();
  for (const post of posts) byDelivery.set(post.delivery, [...(byDelivery.get(post.delivery) ?? []), post]);
  return byDelivery;
}

/** Kinds whose deliveries need not post: they update a message, post only when there is none yet, or publish a view. */
const MAY_NOT_POST = new Set([
  'request_card',
  'owner_nudge',
  'nomination_card',
  'owner_nudge_closed',
  'home_refresh',
  'managers_home_refresh',
]);

interface OutboxRow {
  id: number;
  kind: string;
  status: string;
  notification: string;
}

/**
 * Messages refdesk holds as sent that Slack does not show: a post-only delivery with no post carrying its
 * id, or a card or nudge remembered at a ts no post made (or not remembered at all).
 */
async function lostMessages(db: Db, rows: readonly OutboxRow[], posts: readonly Post[]): Promise<string[]> {
  const byDelivery = postsByDelivery(posts);
  const atSlack = new Set(posts.map((p) => `${p.channel}/${p.ts}`));
  const refs = new Map(
    (
      (await db('message_refs').select('key', 'channel', 'ts')) as {
        key: string;
        channel: string;
        ts: string;
      }[]
    ).map((r) => [r.key, `${r.channel}/${r.ts}`]),
  );
  const lost: string[] = [];
  for (const row of rows) {
    if (row.status !== 'sent') continue;
    if (!MAY_NOT_POST.has(row.kind)) {
      if (!byDelivery.has(row.id))
        lost.push(`delivery ${row.id} (${row.kind}) is marked sent, but no post carries its id`);
      continue;
    }
    const n = JSON.parse(row.notification) as { requestId?: number; askId?: number };
    const key =
      row.kind === 'request_card'
        ? messageKey.card(n.requestId!)
        : row.kind === 'owner_nudge'
          ? messageKey.nudge(n.askId!)
          : null;
    if (key === null) continue;
    const ref = refs.get(key);
    if (ref === undefined)
      lost.push(`delivery ${row.id} (${row.kind}) is marked sent, but ${key} is remembered nowhere`);
    else if (!atSlack.has(ref))
      lost.push(`delivery ${row.id} (${row.kind}): ${key} is remembered at ${ref}, which no post made`);
  }
  return [...new Set(lost)];
}

export async function runChaos({ replicas, database, journeys }: ChaosOptions): Promise<void> {
  const slack = new FakeSlack();
  await slack.start();
  const store = await createBenchDatabase(database, replicas > 1 ? 'replicas' : 'chaos');
  const db = openDatabase(store.url);
  const bots: ChildProcess[] = [];
  const injected = new Map<Fault, number>();
  let watch: Watch | undefined;
  try {
    // Migrated once before any replica starts, as a release step would: each replica finds nothing to do.
    await migrate(db);
    const imported = await new DirectoryImport(db).importCsv(directory(journeys), new Date());
    if (!imported.ok) throw new Error('the chaos directory did not import');
    const urls: string[] = [];
    for (let replica = 0; replica < replicas; replica++) {
      // Failures the bot handles are expected here by the hundred: only what it cannot handle is printed.
      const started = await startBot(store.url, slack.apiUrl, {
        LOG_LEVEL: 'error',
        SLACK_BOT_TOKEN: tokenOf(replica),
      });
      bots.push(started.child);
      urls.push(started.url);
    }
    chaos(slack, injected);
    watch = new Watch(db);
    const run: Run = {
      slack,
      watch,
      clients: urls.map((url) => new SignedClient(url, BOT_SIGNING_SECRET)),
      pickReplica: random(20261203),
      sentTo: urls.map(() => 0),
      db,
      journeys,
      acks: new Map(REQUEST_KINDS.map((kind) => [kind, []])),
      ackFailures: [],
      loopDelay: monitorEventLoopDelay({ resolution: 20 }),
      lastClickAt: 0,
      responses: 0,
    };
    const contacts = (await db('contacts').orderBy('id').pluck('id')) as number[];
    const apps =
      replicas === 1
        ? 'refdesk as npm start runs it'
        : `${replicas} refdesk processes as npm start runs them, each request sent to one of them at random (seeded)`;
    console.log(
      `${journeys} journeys at once (a rep asks, a manager approves from the card, the owner agrees from the ` +
        `nudge), against ${apps}, on ${store.where}, while one Web API call in five fails: ${FAULTS.join(', ')}.`,
    );
    const startedAt = Date.now();
    run.loopDelay.enable();
    const outcomes = await Promise.allSettled(
      Array.from({ length: journeys }, (_, i) => journey(run, i + 1, contacts[i]!)),
    );
    await watch.stop();
    run.loopDelay.disable();
    // The last answers are acked before they are recorded: wait for them, then for the outbox.
    const finished = outcomes.filter((o) => o.status === 'fulfilled').length;
    await poll(
      async () => {
        const agreed = (await db('reference_requests')
          .where({ status: 'agreed' })
          .count({ n: '*' })
          .first()) as {
          n: number;
        };
        return Number(agreed.n) >= finished;
      },
      'the last answers to be recorded',
      30_000,
    ).catch(() => undefined);
    const drainedAt = await poll(
      async () => {
        const pending = (await db('outbox').where({ status: 'pending' }).count({ n: '*' }).first()) as {
          n: number;
        };
        return Number(pending.n) === 0 ? Date.now() : null;
      },
      'the outbox to drain',
      5 * 60_000,
    ).catch(() => null);
    // Calls that hang may still be under way: give the last ones time to land before counting.
    await sleep(16_000);
    await report(run, { outcomes, startedAt, drainedAt, injected });
  } finally {
    await watch?.stop();
    for (const bot of bots) await stopBot(bot);
    await db.destroy();
    await slack.stop();
    await store.drop();
  }
}

const seconds = (msValue: number) => `${(msValue / 1000).toFixed(1)} s`;

async function report(
  run: Run,
  r: {
    outcomes: PromiseSettledResult<void>[];
    startedAt: number;
    drainedAt: number | null;
    injected: Map<Fault, number>;
  },
): Promise<void> {
  const { db, slack, journeys } = run;
  const failedJourneys = r.outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  const rows = (await db('outbox').select('id', 'kind', 'status', 'notification')) as OutboxRow[];
  const posts = postsOf(slack);
  const byDelivery = postsByDelivery(posts);
  // An ask is complete when it is agreed and its rep got the message that says so.
  const agreed = (await db('reference_requests').where({ status: 'agreed' }).pluck('id')) as number[];
  const toldRequests = new Set(
    rows
      .filter((row) => row.kind === 'rep_owner_answer' && row.status === 'sent' && byDelivery.has(row.id))
      .map((row) => (JSON.parse(row.notification) as { requestId: number }).requestId),
  );
  const completed = agreed.filter((id) => toldRequests.has(id)).length;
  const count = (status: string) => rows.filter((row) => row.status === status).length;
  const outbox = { sent: count('sent'), pending: count('pending'), failed: count('failed') };
  const doubled = [...byDelivery].filter(([, p]) => p.length > 1);
  const duplicates = doubled.reduce((n, [, p]) => n + p.length - 1, 0);
  const lost = await lostMessages(db, rows, posts);
  const drainMs = r.drainedAt === null ? null : Math.max(0, r.drainedAt - run.lastClickAt);
  const calls = slack.calls.length;
  const faults = [...r.injected.values()].reduce((n, c) => n + c, 0);

  console.log(
    `\nfaults injected: ${faults} of ${calls} Web API calls (${((faults / calls) * 100).toFixed(1)}%)`,
  );
  for (const fault of FAULTS) console.log(`  ${fault.padEnd(20)} ${r.injected.get(fault) ?? 0}`);
  if (run.clients.length > 1) console.log(`requests per replica: ${run.sentTo.join(', ')}`);
  console.log(`journeys: ${journeys - failedJourneys.length} finished, ${failedJourneys.length} gave up`);
  for (const f of failedJourneys.slice(0, 5)) console.log(`  ${(f.reason as Error).message}`);
  console.log(
    `time: last click ${seconds(run.lastClickAt - r.startedAt)} after the start ` +
      `(cards go out about one a second to the managers' channel)`,
  );
  console.log(
    `outbox: ${outbox.sent} sent, ${outbox.pending} pending, ${outbox.failed} failed; ` +
      `${byDelivery.size} messages posted, ${slack.callsTo('chat.update').filter((c) => c.succeeded).length} updates`,
  );
  for (const kind of REQUEST_KINDS) {
    const late = run.acks.get(kind)!.filter((a) => a > TARGET.ackMs);
    if (late.length > 0) console.log(`  acks over 3 s, ${kind}: ${late.map(Math.round).join(', ')} ms`);
  }
  for (const failure of run.ackFailures.slice(0, 10)) console.log(`  ack failed: ${failure}`);
  if (run.ackFailures.length > 10) console.log(`  ... ${run.ackFailures.length} acks failed in all`);
  const lag = (p: number) => ms(run.loopDelay.percentile(p) / 1e6);
  console.log(
    `the bench's own event loop lagged p99 ${lag(99)} ms, max ${ms(run.loopDelay.max / 1e6)} ms ` +
      '(acks it timed include that much of its own delay)',
  );
  const kindOf = new Map(rows.map((row) => [row.id, row.kind]));
  for (const [id, p] of doubled) {
    const when = p.map((post) => `replica ${post.replica} at +${seconds(post.at - r.startedAt)}`).join(', ');
    console.log(
      `  posted ${p.length} times: delivery ${id} (${kindOf.get(id) ?? 'not in the outbox'}), by ${when}`,
    );
  }
  for (const line of lost.slice(0, 20)) console.log(`  lost: ${line}`);

  const verdicts: boolean[] = [];
  const table: string[][] = [];
  const row = (name: string, value: string, target: string, ok: boolean) => {
    verdicts.push(ok);
    table.push([name, value, target, ok ? 'PASS' : 'FAIL']);
  };
  row(
    'journeys completed',
    `${completed} / ${journeys}`,
    `${journeys} / ${journeys}`,
    completed === journeys,
  );
  row(
    'messages sent / pending / failed',
    `${outbox.sent} / ${outbox.pending} / ${outbox.failed}`,
    'none pending or failed',
    outbox.pending + outbox.failed === 0,
  );
  row('duplicate posts', String(duplicates), '0', duplicates === 0);
  row('lost messages', String(lost.length), '0', lost.length === 0);
  row(
    'drained after the last click',
    drainMs === null ? 'never' : seconds(drainMs),
    '<= 30 s',
    drainMs !== null && drainMs <= TARGET.drainMs,
  );
  const ackRow = (name: string, acks: readonly number[], failures: number) => {
    const sorted = Float64Array.from(acks).sort();
    const max = sorted[sorted.length - 1] ?? Number.NaN;
    row(
      `ack p50 / p99 / max, ${name} (${acks.length})`,
      `${ms(percentile(sorted, 50))} / ${ms(percentile(sorted, 99))} / ${ms(max)} ms`,
      'max <= 3000 ms',
      !(max > TARGET.ackMs) && failures === 0,
    );
  };
  for (const kind of REQUEST_KINDS) {
    ackRow(kind, run.acks.get(kind)!, run.ackFailures.filter((f) => f.startsWith(`${kind} `)).length);
  }
  ackRow('all requests', [...run.acks.values()].flat(), run.ackFailures.length);
  console.log(`\n${formatTable(['figure', 'value', 'target', 'verdict'], table, 1)}`);
  console.log(`\nVerdict: ${verdicts.every(Boolean) ? 'PASS' : 'FAIL'}`);
}

export const chaosBenchmark: Benchmark = {
  name: 'chaos',
  description: `${JOURNEYS} journeys while one Web API call in five fails: completed asks, duplicates, drain time, acks`,
  flags: { '--postgres': 'on a fresh PostgreSQL database (BENCH_DATABASE_URL) instead of SQLite' },
  run: (flags) => runChaos({ replicas: 1, database: requestedDatabase(flags), journeys: JOURNEYS }),
};
