import { subDays } from 'date-fns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiCall } from '../support/fake-slack.ts';
import { MANAGERS_CHANNEL } from '../support/harness.ts';
import {
  approvalAnswers,
  clickCard,
  clickOwnerAnswer,
  contactId,
  createRequest,
  currentAskId,
  type Driver,
  MANAGER,
  modalOpenedBy,
  OWNER,
  openDecision,
  REP,
  requestStatus,
  submitApproval,
  submitRequest,
  submitView,
  textOf,
} from '../support/journey.ts';
import {
  duplicatePosts,
  eventEnvelope,
  eventually,
  type OutboxRow,
  postsPerDelivery,
  printLogsOnFailure,
  ReplicaSet,
} from '../support/replicas.ts';

const SECOND_MANAGER = 'U0RM2';
/** A manager who joins the managers' channel and leaves it again. */
const LEAVER = 'U0RM3';
const KIM_OWNER = 'U0OWNER2';
/** Kinds of notification that post a new message every time (a card or a nudge may update one instead). */
const ALWAYS_POSTED = ['rep_submitted', 'rep_approved', 'rep_owner_answer', 'card_thread_owner_answer'];

/** Every row was sent, and each kind that always posts did so exactly once. */
function expectEachPostedOnce(rows: OutboxRow[], posts: Map<number, number>): void {
  expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
  const posted = rows
    .filter((r) => ALWAYS_POSTED.includes(r.kind))
    .map((r) => [r.id, r.kind, posts.get(r.id)]);
  expect(posted).toEqual(posted.map(([id, kind]) => [id, kind, 1]));
}

/** Successful posts among `calls` to `channel` (cards: not in a thread). */
function postsTo(calls: ApiCall[], channel: string, opts: { threads?: boolean } = {}): ApiCall[] {
  return calls.filter(
    (c) =>
      c.method === 'chat.postMessage' &&
      c.succeeded &&
      c.params.channel === channel &&
      (opts.threads !== false || !c.params.thread_ts),
  );
}

/** What `user` sees after clicking Approve on the card: 'modal', or the reply that refused them. */
async function approveClick(d: Driver, requestId: number, user: string): Promise<string> {
  try {
    await modalOpenedBy(d, await clickCard(d, 'approve', requestId, user));
    return 'modal';
  } catch (error) {
    return (error as Error).message;
  }
}

/** Slack's event for `user` joining or leaving the managers' channel. */
const membership = (type: 'member_joined_channel' | 'member_left_channel', user: string) =>
  eventEnvelope({ type, user, channel: MANAGERS_CHANNEL, channel_type: 'C', team: 'T0123' });

describe('two replicas on one PostgreSQL database', () => {
  let set: ReplicaSet;
  beforeAll(async () => {
    set = await ReplicaSet.start({
      env: {
        // Lifecycle passes every second on both replicas, so "once across replicas" is tested often.
        LIFECYCLE_INTERVAL_SECONDS: '1',
        // The same contacts are asked again and again here: the ask limits are not what is tested.
        RULES_MIN_DAYS_BETWEEN_ASKS: '0',
        RULES_MAX_ASKS_PER_CONTACT: '1000',
        RULES_MAX_OPEN_ASKS_PER_CONTACT: '1000',
      },
    });
  }, 120_000);
  printLogsOnFailure(() => set);
  afterAll(() => set?.stop());

  it('completes every journey spread over both replicas and posts every message exactly once', async () => {
    const mark = await set.mark();
    const contacts = [
      { id: await contactId(set.driver(0), 'jane@acme.example'), owner: OWNER },
      { id: await contactId(set.driver(0), 'raj@acme.example'), owner: OWNER },
      { id: await contactId(set.driver(0), 'kim@globex.example'), owner: KIM_OWNER },
      { id: await contactId(set.driver(0), 'jane@acme.example'), owner: OWNER },
    ];
    const ids: number[] = [];
    for (const [i, contact] of contacts.entries()) {
      // The rep and the owner go through one replica, the manager through the other, in turn.
      const rep = set.driver(i % 2);
      const manager = set.driver((i + 1) % 2);
      const id = await createRequest(rep, { prospect: `Prospect ${i}` });
      const approved = await submitApproval(manager, id, contact.id, null, MANAGER);
      expect(approved.text).toBe('');
      await set.settled();
      await clickOwnerAnswer(rep, await currentAskId(rep, id), 'agreed', contact.owner);
      await set.settled();
      ids.push(id);
    }

    for (const id of ids) expect(await requestStatus(set.driver(0), id)).toBe('agreed');
    const calls = set.callsSince(mark);
    const rows = await set.outboxSince(mark);
    expect(duplicatePosts(calls, rows)).toEqual({});
    expectEachPostedOnce(rows, postsPerDelivery(calls));
    expect(postsTo(calls, MANAGERS_CHANNEL, { threads: false })).toHaveLength(ids.length);
    // Submitted, approved, contact agreed: three per request.
    expect(postsTo(calls, REP)).toHaveLength(3 * ids.length);
  }, 90_000);

  it('lets exactly one of two managers approving at the same moment on different replicas win, and tells the other', async () => {
    const first = set.driver(0);
    const second = set.driver(1);
    const id = await createRequest(first);
    const mark = await set.mark();
    const jane = await contactId(first, 'jane@acme.example');
    const kim = await contactId(first, 'kim@globex.example');
    const [janeModal, kimModal] = await Promise.all([
      openDecision(first, 'approve', id, MANAGER),
      openDecision(second, 'approve', id, SECOND_MANAGER),
    ]);

    const answers = await Promise.all([
      submitView(first, janeModal, MANAGER, approvalAnswers(janeModal, { contact: jane })),
      submitView(second, kimModal, SECOND_MANAGER, approvalAnswers(kimModal, { contact: kim })),
    ]);
    await set.settled();

    const asks = (await set.db('reference_asks').where({ request_id: id })) as {
      approved_by: string;
      contact_id: number;
    }[];
    expect(asks).toHaveLength(1);
    const winner = asks[0]!.approved_by;
    const [won, lost] = winner === MANAGER ? answers : [answers[1]!, answers[0]!];
    expect(won!.status).toBe(200);
    expect(won!.text).toBe('');
    expect(lost!.json()).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(lost!.json())).toContain(`already approved by <@${winner}>`);
    expect(await requestStatus(first, id)).toBe('awaiting_owner');

    // One ask, so one nudge to one owner and one "approved" DM to the rep.
    const rows = await set.outboxSince(mark);
    expect(rows.filter((r) => r.kind === 'owner_nudge')).toHaveLength(1);
    expect(rows.filter((r) => r.kind === 'rep_approved')).toHaveLength(1);
    expect(duplicatePosts(set.callsSince(mark), rows)).toEqual({});
    for (const index of [0, 1]) {
      expect(set.stderrSince(mark, index)).not.toMatch(/\[ERROR\]|deadlock|could not serialize/i);
    }
  }, 90_000);

  it('sends a due owner reminder once, though both replicas look for due work every second', async () => {
    const rep = set.driver(0);
    const id = await createRequest(rep);
    await submitApproval(set.driver(1), id, await contactId(rep, 'jane@acme.example'), null, MANAGER);
    await set.settled();
    expect(await requestStatus(rep, id)).toBe('awaiting_owner');
    const askId = await currentAskId(rep, id);
    const mark = await set.mark();

    // The owner has been silent for ten days: the first reminder is due on the next pass.
    await set
      .db('reference_asks')
      .where({ id: askId })
      .update({ approved_at: subDays(new Date(), 10).toISOString() });
    const remindersOf = async () =>
      (await set.outboxSince(mark)).filter(
        (r) => r.kind === 'owner_reminder' && r.notification.askId === askId,
      );
    const [reminder] = await eventually(
      async () => {
        const rows = await remindersOf();
        return rows.some((r) => r.status === 'sent') && rows;
      },
      'the owner reminder to be sent',
      30_000,
    );
    // Several more passes of both replicas: none may remind again.
    await new Promise((r) => setTimeout(r, 4_000));
    await set.settled();

    expect(await remindersOf()).toHaveLength(1);
    const posts = postsTo(set.callsSince(mark), OWNER);
    expect(
      posts.map((c) => (c.params.metadata as { event_payload: { delivery: number } }).event_payload.delivery),
    ).toEqual([reminder!.id]);
    expect(textOf(posts[0]!.params)).toContain('owner_agreed');
    const ask = (await set.db('reference_asks').where({ id: askId }).first()) as { reminders_sent: number };
    expect(Number(ask.reminders_sent)).toBe(1);
  }, 90_000);
  it("refuses a manager who left the channel on the replica that did not get Slack's event, within 10 s", async () => {
    const [first, second] = [set.driver(0), set.driver(1)];
    const id = await createRequest(first);
    // The manager joins the channel and both replicas hear of it, so each loads the members afresh
    // and knows them: their click opens the modal on either.
    set.slack.managers = [MANAGER, SECOND_MANAGER, LEAVER];
    for (const replica of [set.at(0), set.at(1)]) {
      expect((await replica.client.event(membership('member_joined_channel', LEAVER))).status).toBe(200);
    }
    // Bolt acks an event before its listener runs, so a click right after the ack may still meet
    // the old list: each replica knows them within moments.
    await Promise.all(
      [first, second].map((replica, index) =>
        eventually(
          async () => (await approveClick(replica, id, LEAVER)) === 'modal',
          `replica ${index} to let the manager who joined approve`,
          10_000,
        ),
      ),
    );

    // They leave; Slack sends the event to one replica only (whichever its load balancer picks).
    set.slack.managers = [MANAGER, SECOND_MANAGER];
    expect((await set.at(0).client.event(membership('member_left_channel', LEAVER))).status).toBe(200);

    const refused = /Only reference managers/;
    await Promise.all([
      eventually(
        async () => refused.test(await approveClick(first, id, LEAVER)),
        'replica 0, which got the event, to refuse the manager who left',
        10_000,
      ),
      eventually(
        async () => refused.test(await approveClick(second, id, LEAVER)),
        'replica 1, which did not get the event, to refuse the manager who left',
        10_000,
      ),
    ]);
    expect(await approveClick(second, id, SECOND_MANAGER)).toBe('modal');
  }, 90_000);

  it('leaves the deliveries of a replica killed with kill -9 to the others, and posts every message exactly once', async () => {
    // A third replica, to be killed: the two others keep serving.
    const doomed = await set.add();
    const mark = await set.mark();
    // Slack acts on its first post but the answer never comes back; the next ones hang with
    // nothing done, until the connection drops.
    let posts = 0;
    const release = set.slack.intercept((call) => {
      if (call.method !== 'chat.postMessage' || call.token !== doomed.token) return undefined;
      return ++posts === 1 ? { acted: true, delayMs: 90_000 } : { reset: true, delayMs: 90_000 };
    });

    // The rep's submission commits on the doomed replica, whose worker at once claims the card and
    // the DM (the others look for work every second and may take one of them first).
    expect((await submitRequest(set.driver(doomed.index))).text).toBe('');
    // Killed once Slack has acted on its first post (others may still be on their way).
    await eventually(() => posts >= 1, "the doomed replica's first post to reach Slack", 20_000);
    await doomed.kill('SIGKILL');
    release();

    // Work goes on through the others meanwhile.
    const [one, other] = [set.driver(0), set.driver(1)];
    const rowsSoFar = await set.outboxSince(mark);
    const first = rowsSoFar.find((r) => r.kind === 'request_card')!.notification.requestId as number;
    expect((await submitRequest(one, { prospect: 'Second Prospect' })).text).toBe('');
    const { second } = (await set.db('reference_requests').max({ second: 'id' }).first()) as {
      second: number;
    };
    expect(second).not.toBe(first);
    const [jane, kim] = [
      await contactId(one, 'jane@acme.example'),
      await contactId(one, 'kim@globex.example'),
    ];
    expect((await submitApproval(other, first, jane, null, MANAGER)).text).toBe('');
    expect((await submitApproval(one, second, kim, null, MANAGER)).text).toBe('');
    // The killed replica's claims run out (15 s leases) and another replica sends what they held.
    await set.settled(75_000);

    expect(await requestStatus(one, first)).toBe('awaiting_owner');
    expect(await requestStatus(one, second)).toBe('awaiting_owner');
    const rows = await set.outboxSince(mark);
    const calls = set.callsSince(mark);
    expect(duplicatePosts(calls, rows)).toEqual({});
    expectEachPostedOnce(rows, postsPerDelivery(calls));
    expect(postsTo(calls, MANAGERS_CHANNEL, { threads: false })).toHaveLength(2);
    // Submitted and approved, for each request.
    expect(postsTo(calls, REP)).toHaveLength(4);
  }, 150_000);
});
