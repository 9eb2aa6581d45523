import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryImport } from '../src/services/directory-import.ts';
import { ACTIONS, messageKey } from '../src/slack/ids.ts';
import { type Db, migrate, openDatabase } from '../src/store/database.ts';
import { type ApiCall, type FakeReply, FakeSlack } from '../test/support/fake-slack.ts';
import { approvalAnswers, requestAnswers } from '../test/support/journey.ts';
import { blockAction, nextTrigger, SignedClient, type SlackResponse } from '../test/support/signed-client.ts';
import { type ShownView, shownView, submissionOf } from '../test/support/views.ts';
import type { Benchmark } from './benchmark.ts';
import { BOT_MANAGER, BOT_MANAGERS_CHANNEL, BOT_SIGNING_SECRET, startBot, stopBot } from './bot-process.ts';
import { ms, percentile } from './stats.ts';

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

/** 200 contacts, each at an account of its own with an owner of its own, so program rules never get in the way. */
function directory(): string {
  const rows = [
    'account,account_id,industry,region,company_size,products,owner,contact_name,contact_email,title,seniority,activities',
  ];
  for (let i = 1; i <= JOURNEYS; i++) {
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

interface Run {
  slack: FakeSlack;
  client: SignedClient;
  db: Db;
  acks: number[];
  /** The acks that took longer than 3 s, by what was sent. */
  lateAcks: Map<string, number[]>;
  ackFailures: string[];
  lastClickAt: number;
  responses: number;
}

/** Sends a signed request as Slack would and times its ack. */
async function send(
  run: Run,
  what: string,
  request: (client: SignedClient) => Promise<SlackResponse>,
): Promise<SlackResponse> {
  const started = performance.now();
  const res = await request(run.client);
  const took = performance.now() - started;
  run.acks.push(took);
  if (took > TARGET.ackMs) run.lateAcks.set(what, [...(run.lateAcks.get(what) ?? []), Math.round(took)]);
  if (res.status !== 200) run.ackFailures.push(`HTTP ${res.status}`);
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
  poll(() => run.db('message_refs').where({ key }).first(), what, JOURNEY_DEADLINE_MS);

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
  const request = await poll(
    () => run.db('reference_requests').where({ requester_id: rep }).first() as Promise<{ id: number }>,
    `the request of ${rep}`,
    60_000,
  );
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
  const ask = await poll(
    () =>
      run.db('reference_asks').where({ request_id: request.id }).first() as Promise<{
        id: number;
        owner_id: string;
      }>,
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

/** Every post carries its outbox delivery id in metadata: more than one post per id is a duplicate. */
function postsByDelivery(slack: FakeSlack): Map<number, number> {
  const posts = new Map<number, number>();
  for (const call of slack.callsTo('chat.postMessage')) {
    if (!call.succeeded) continue;
    const delivery = (call.params.metadata as { event_payload?: { delivery?: number } } | undefined)
      ?.event_payload?.delivery;
    if (typeof delivery === 'number') posts.set(delivery, (posts.get(delivery) ?? 0) + 1);
  }
  return posts;
}

async function runChaos(): Promise<void> {
  const slack = new FakeSlack();
  await slack.start();
  const dir = mkdtempSync(join(tmpdir(), 'refdesk-bench-chaos-'));
  const databaseUrl = `sqlite:${join(dir, 'refdesk.sqlite')}`;
  const db = openDatabase(databaseUrl);
  let bot: ChildProcess | undefined;
  const injected = new Map<Fault, number>();
  try {
    await migrate(db);
    const imported = await new DirectoryImport(db).importCsv(directory(), new Date());
    if (!imported.ok) throw new Error('the chaos directory did not import');
    // Failures the bot handles are expected here by the hundred: only what it cannot handle is printed.
    const started = await startBot(databaseUrl, slack.apiUrl, { LOG_LEVEL: 'error' });
    bot = started.child;
    chaos(slack, injected);
    const run: Run = {
      slack,
      client: new SignedClient(started.url, BOT_SIGNING_SECRET),
      db,
      acks: [],
      lateAcks: new Map(),
      ackFailures: [],
      lastClickAt: 0,
      responses: 0,
    };
    const contacts = (await db('contacts').orderBy('id').pluck('id')) as number[];
    console.log(
      `${JOURNEYS} journeys at once (a rep asks, a manager approves from the card, the owner agrees from the ` +
        `nudge), against refdesk as npm start runs it, while one Web API call in five fails: ${FAULTS.join(', ')}.`,
    );
    const startedAt = Date.now();
    const outcomes = await Promise.allSettled(
      Array.from({ length: JOURNEYS }, (_, i) => journey(run, i + 1, contacts[i]!)),
    );
    const clicksDone = Date.now();
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
    await report(run, { outcomes, startedAt, clicksDone, drainedAt, injected });
  } finally {
    if (bot) await stopBot(bot);
    await db.destroy();
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function report(
  run: Run,
  r: {
    outcomes: PromiseSettledResult<void>[];
    startedAt: number;
    clicksDone: number;
    drainedAt: number | null;
    injected: Map<Fault, number>;
  },
): Promise<void> {
  const { db, slack } = run;
  const failedJourneys = r.outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  // An ask is complete when it is agreed and its rep got the message that says so.
  const agreed = (await db('reference_requests').where({ status: 'agreed' }).pluck('id')) as number[];
  const posts = postsByDelivery(slack);
  const told = (await db('outbox')
    .where({ status: 'sent' })
    .where('notification', 'like', '{"type":"rep_owner_answer"%')
    .select('id', 'notification')) as { id: number; notification: string }[];
  const toldRequests = new Set(
    told
      .filter((row) => posts.has(row.id))
      .map((row) => (JSON.parse(row.notification) as { requestId: number }).requestId),
  );
  const completed = agreed.filter((id) => toldRequests.has(id)).length;
  const byStatus = (await db('outbox').select('status').count({ n: '*' }).groupBy('status')) as {
    status: string;
    n: number;
  }[];
  const outbox = Object.fromEntries(byStatus.map((s) => [s.status, Number(s.n)]));
  const duplicates = [...posts.values()].reduce((n, count) => n + count - 1, 0);
  const doubled = [...posts].filter(([, count]) => count > 1).map(([id]) => id);
  const doubledTypes = (await db('outbox').whereIn('id', doubled).pluck('notification')) as string[];
  const sorted = Float64Array.from(run.acks).sort();
  const ackP99 = percentile(sorted, 99);
  const ackMax = sorted[sorted.length - 1] ?? Number.NaN;
  const lateAcks = run.acks.filter((a) => a > TARGET.ackMs).length;
  const drainMs = r.drainedAt === null ? null : Math.max(0, r.drainedAt - run.lastClickAt);
  const calls = slack.calls.length;
  const faults = [...r.injected.values()].reduce((n, c) => n + c, 0);

  console.log(
    `\nfaults injected: ${faults} of ${calls} Web API calls (${((faults / calls) * 100).toFixed(1)}%)`,
  );
  for (const fault of FAULTS) console.log(`  ${fault.padEnd(20)} ${r.injected.get(fault) ?? 0}`);
  console.log(`journeys: ${JOURNEYS - failedJourneys.length} finished, ${failedJourneys.length} gave up`);
  for (const f of failedJourneys.slice(0, 5)) console.log(`  ${(f.reason as Error).message}`);
  console.log(
    `time: last click ${((run.lastClickAt - r.startedAt) / 1000).toFixed(1)} s after the start ` +
      `(cards go out about one a second to the managers' channel)`,
  );
  console.log(
    `outbox: ${outbox.sent ?? 0} sent, ${outbox.pending ?? 0} pending, ${outbox.failed ?? 0} failed; ` +
      `${posts.size} messages posted, ${slack.callsTo('chat.update').filter((c) => c.succeeded).length} updates`,
  );
  for (const [what, late] of run.lateAcks) console.log(`  acks over 3 s, ${what}: ${late.join(', ')} ms`);
  const row = (name: string, value: string, target: string, ok: boolean) =>
    console.log(`${name.padEnd(34)} ${value.padStart(12)}  ${target.padEnd(14)} ${ok ? 'PASS' : 'FAIL'}`);
  console.log(`\n${'figure'.padEnd(34)} ${'value'.padStart(12)}  ${'target'.padEnd(14)} verdict`);
  row('asks completed', `${completed} / ${JOURNEYS}`, `${JOURNEYS} / ${JOURNEYS}`, completed === JOURNEYS);
  row('messages delivered', `${outbox.sent ?? 0}`, 'all', (outbox.pending ?? 0) + (outbox.failed ?? 0) === 0);
  row('duplicate posts', String(duplicates), '0', duplicates === 0);
  for (const n of doubledTypes) console.log(`  posted more than once: ${n}`);
  row(
    'drained after the last click',
    drainMs === null ? 'never' : `${(drainMs / 1000).toFixed(1)} s`,
    '<= 30 s',
    drainMs !== null && drainMs <= TARGET.drainMs,
  );
  row(
    `ack p99 / max (${run.acks.length} requests)`,
    `${ms(ackP99)} / ${ms(ackMax)}`,
    'max <= 3000 ms',
    lateAcks === 0 && run.ackFailures.length === 0,
  );
  const pass =
    completed === JOURNEYS &&
    duplicates === 0 &&
    drainMs !== null &&
    drainMs <= TARGET.drainMs &&
    lateAcks === 0 &&
    run.ackFailures.length === 0 &&
    (outbox.pending ?? 0) + (outbox.failed ?? 0) === 0;
  console.log(`\nVerdict: ${pass ? 'PASS' : 'FAIL'}`);
}

export const chaosBenchmark: Benchmark = {
  name: 'chaos',
  description: `${JOURNEYS} journeys while one Web API call in five fails: completed asks, duplicates, drain time, acks`,
  run: runChaos,
};
