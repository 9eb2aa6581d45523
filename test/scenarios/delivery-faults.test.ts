import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiCall } from '../support/fake-slack.ts';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import {
  clickOwnerAnswer,
  contactId,
  createRequest,
  currentAskId,
  openByCommand,
  openRequestForm,
  REP,
  requestAnswers,
  submitApproval,
  submitRequest,
  textOf,
} from '../support/journey.ts';
import { submissionOf } from '../support/views.ts';

/** What Slack really holds: every message posted, also those whose answer never reached refdesk. */
class SlackHistory {
  readonly posted: { channel: string; ts: string; params: Record<string, unknown> }[] = [];
  private next = 0;

  /** Stores a post as Slack would; the DM of a user lives under D + the id's rest. */
  keep(call: ApiCall): { channel: string; ts: string } {
    const raw = String(call.params.channel);
    const channel = /^[UW]/.test(raw) ? `D${raw.slice(1)}` : raw;
    const ts = `1800000000.${String(++this.next).padStart(6, '0')}`;
    this.posted.push({ channel, ts, params: call.params });
    return { channel, ts };
  }

  in(channel: string) {
    return this.posted.filter((p) => p.channel === channel);
  }
}

describe('delivery when Slack misbehaves', () => {
  let shared: Harness;
  /** The harness of the running test: the file's, or one started with other options (`Harness.run`). */
  let h: Harness;
  beforeAll(async () => {
    shared = await Harness.start();
  });
  beforeEach(async () => {
    await shared.reset();
    h = shared;
  });
  afterAll(() => shared.stop());

  /** Slack keeps every post; `lose` says which answers are lost on the way back (after Slack posted). */
  function slackThatLoses(history: SlackHistory, lose: (call: ApiCall) => boolean, readable = true) {
    h.slack.intercept((call) => {
      if (call.method === 'chat.postMessage') {
        const { channel, ts } = history.keep(call);
        return lose(call)
          ? { status: 502, body: 'bad gateway' }
          : { body: { ok: true, channel, ts, message: { text: call.params.text } } };
      }
      if (call.method === 'conversations.open') {
        return { body: { ok: true, channel: { id: `D${String(call.params.users).slice(1)}` } } };
      }
      if (call.method === 'conversations.history') {
        if (!readable) return { body: { ok: false, error: 'missing_scope' } };
        const messages = history
          .in(String(call.params.channel))
          .map((p) => ({ type: 'message', ts: p.ts, text: p.params.text, metadata: p.params.metadata }))
          .reverse();
        return { body: { ok: true, messages, has_more: false } };
      }
      return undefined;
    });
  }

  it('does not post a card again when Slack posted it but its answer was lost', async () => {
    const history = new SlackHistory();
    let lost = 0;
    slackThatLoses(history, (call) => call.params.channel === MANAGERS_CHANNEL && lost++ === 0);
    const id = await createRequest(h);
    await h.settled();
    expect(history.in(MANAGERS_CHANNEL)).toHaveLength(1);
    const [card] = history.in(MANAGERS_CHANNEL);
    expect(card!.params.metadata).toMatchObject({ event_type: 'refdesk_delivery' });
    // refdesk found it and remembered it: the next change updates that very message.
    expect(
      await h
        .db('message_refs')
        .where({ key: `card:${id}` })
        .first(),
    ).toMatchObject({ ts: card!.ts });
    await submitApproval(h, id, await contactId(h, 'jane@acme.example'));
    await h.settled();
    expect(h.slack.callsTo('chat.update').some((c) => c.params.ts === card!.ts)).toBe(true);
    expect(history.in(MANAGERS_CHANNEL)).toHaveLength(1);
  });

  it('does not DM the rep twice when Slack posted the DM but its answer was lost', async () => {
    const history = new SlackHistory();
    let lost = 0;
    slackThatLoses(history, (call) => call.params.channel === REP && lost++ === 0);
    await createRequest(h);
    await h.settled();
    expect(history.in(`D${REP.slice(1)}`)).toHaveLength(1);
    expect(textOf(history.in(`D${REP.slice(1)}`)[0]!.params)).toContain('REF-1');
  });

  it("does not post a note in the card's thread twice when Slack posted it but its answer was lost", async () => {
    const id = await createRequest(h);
    await submitApproval(h, id, await contactId(h, 'jane@acme.example'));
    await h.settled();
    let lost = false;
    h.slack.intercept((call) => {
      if (call.method !== 'chat.postMessage' || !call.params.thread_ts || lost) return undefined;
      lost = true;
      return { acted: true, reset: true };
    });
    await clickOwnerAnswer(h, await currentAskId(h, id), 'declined');
    await h.settled();
    expect(lost).toBe(true);
    expect(h.slack.messagesTo(MANAGERS_CHANNEL).filter((m) => m.thread_ts)).toHaveLength(1);
    expect(h.slack.callsTo('conversations.replies').some((c) => c.succeeded)).toBe(true);
  });

  it('looks again, instead of posting again, when reading the history fails for a moment', async () => {
    const history = new SlackHistory();
    h.slack.failNext('conversations.history', 1, { status: 503, body: 'upstream unavailable' });
    let lost = 0;
    slackThatLoses(history, (call) => call.params.channel === MANAGERS_CHANNEL && lost++ === 0);
    await createRequest(h);
    await h.settled();
    expect(h.slack.callsTo('conversations.history').filter((c) => !c.succeeded)).toHaveLength(1);
    expect(history.in(MANAGERS_CHANNEL)).toHaveLength(1);
  });

  it('finds its earlier post pages back in a busy channel', async () => {
    let posts = 0;
    let buried = false;
    h.slack.intercept((call) => {
      if (call.method === 'chat.postMessage' && call.params.channel === MANAGERS_CHANNEL && posts++ === 0)
        return { acted: true, reset: true };
      // Before the retry reads the history, 450 messages bury the card: three pages of 200 back.
      if (call.method === 'conversations.history' && !buried) {
        buried = true;
        for (let i = 0; i < 450; i++) h.slack.postByOthers(MANAGERS_CHANNEL, `chatter ${i}`);
      }
      return undefined;
    });
    await createRequest(h);
    await h.settled();
    expect(h.slack.messagesTo(MANAGERS_CHANNEL)).toHaveLength(1);
    expect(h.slack.callsTo('conversations.history').length).toBeGreaterThanOrEqual(3);
  });

  it('posts again when the history cannot be read: at worst one duplicate, never a lost message', async () => {
    const history = new SlackHistory();
    let lost = 0;
    slackThatLoses(history, (call) => call.params.channel === MANAGERS_CHANNEL && lost++ === 0, false);
    await createRequest(h);
    await h.settled();
    expect(history.in(MANAGERS_CHANNEL)).toHaveLength(2);
  });
  it('keeps delivering to other conversations while a call to one hangs, then delivers that one once', () =>
    Harness.run({ env: { DELIVERY_TIMEOUT_SECONDS: '1' } }, async (own) => {
      h = own;
      const history = new SlackHistory();
      slackThatLoses(history, () => false);
      // Slack takes the rep's DM but answers only after 3 s: refdesk gives up on the call after 1 s.
      h.slack.intercept((call) =>
        call.method === 'chat.postMessage' &&
        call.params.channel === REP &&
        history.in(`D${REP.slice(1)}`).length === 0
          ? { delayMs: 3000, body: { ok: true, ...history.keep(call) } }
          : undefined,
      );
      const started = Date.now();
      await createRequest(h).catch(() => undefined);
      await h.slack.waitFor(() => history.in(MANAGERS_CHANNEL).length === 1);
      expect(Date.now() - started).toBeLessThan(1000);
      await h.settled(10_000);
      expect(history.in(`D${REP.slice(1)}`)).toHaveLength(1);
    }));

  it("sends what a dead process had claimed as soon as the claim's lease runs out", () =>
    Harness.run({ startWorker: false, delivery: { leaseMs: 1000 } }, async (own) => {
      h = own;
      expect((await submitRequest(h)).status).toBe(200);
      // The process claimed everything due, then died before sending it.
      const claimed = await h
        .db('outbox')
        .where({ status: 'pending' })
        .update({
          locked_until: new Date(Date.now() + 1000).toISOString(),
          claim_token: 'the-dead-process',
        });
      expect(claimed).toBe(2);
      await h.restart();
      const restarted = Date.now();
      await h.slack.waitFor(() => h.slack.messagesTo(MANAGERS_CHANNEL).length === 1, 5000);
      expect(Date.now() - restarted).toBeLessThan(3000);
      await h.settled();
      expect(h.slack.messagesTo(REP)).toHaveLength(1);
    }));

  it('creates one request from a form delivered twice, and answers both deliveries alike', async () => {
    const form = await openRequestForm(h);
    const submitted = submissionOf(form, REP, requestAnswers(form));
    const [first, again] = [await h.client.interaction(submitted), await h.client.interaction(submitted)];
    expect([first.status, first.text]).toEqual([200, '']);
    expect([again.status, again.text]).toEqual([200, '']);
    await h.settled();
    expect(await h.db('reference_requests')).toHaveLength(1);
    expect(h.slack.messagesTo(MANAGERS_CHANNEL)).toHaveLength(1);
    expect(h.slack.messagesTo(REP)).toHaveLength(1);
  });

  it('creates one nomination from a nomination form delivered twice', async () => {
    const form = await openByCommand(h, REP, 'nominate');
    const submitted = submissionOf(form, REP, {
      account: { account_input: 'Initech' },
      company_size: { company_size_input: 'Enterprise' },
      owner: { owner_input: 'U0OWNER9' },
      contact_email: { contact_email_input: 'nia@initech.example' },
      why: { why_input: 'Loves the product' },
    });
    const first = await h.client.interaction(submitted);
    const again = await h.client.interaction(submitted);
    expect(again.json()).toEqual(first.json());
    await h.settled();
    expect(await h.db('nominations')).toHaveLength(1);
    expect(h.slack.messagesTo(MANAGERS_CHANNEL)).toHaveLength(1);
  });
});
