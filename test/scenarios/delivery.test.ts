import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RunningClock, TestClock } from '../support/clock.ts';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import {
  clickOwnerAnswer,
  contactId,
  createRequest,
  currentAskId,
  REP,
  submitApproval,
  submitRequest,
  textOf,
} from '../support/journey.ts';
import { sample } from '../support/signed-client.ts';
import { onPostgres } from '../support/test-database.ts';

/** Every message refdesk owes is in the outbox with the state change, and delivered once, in order. */
describe('reliable delivery', () => {
  let h: Harness;
  const clock = new RunningClock();
  beforeAll(async () => {
    h = await Harness.start({ now: clock.now });
  });
  beforeEach(async () => {
    clock.offsetMs = 0;
    await h.reset();
  });
  afterAll(() => h.stop());

  const outboxRows = (status: string, on = h) => on.db('outbox').where({ status });

  it('retries after a 5xx and delivers once', async () => {
    h.slack.failNext('chat.postMessage', 2, { status: 503, body: 'upstream unavailable' });
    await createRequest(h);
    expect(h.slack.messagesTo(REP)).toHaveLength(1);
    expect(h.slack.messagesTo(MANAGERS_CHANNEL)).toHaveLength(1);
    expect(h.slack.callsTo('chat.postMessage').filter((c) => !c.succeeded)).toHaveLength(2);
    expect(await outboxRows('pending')).toHaveLength(0);
    expect((await outboxRows('sent')).every((r: { attempts: number }) => r.attempts >= 1)).toBe(true);
  });

  it('posts a card once when remembering it fails for a moment after Slack took it', async () => {
    const sql = (text: string) => h.db.raw(text).then(() => undefined);
    const failRefs = onPostgres
      ? "CREATE FUNCTION fail_refs() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk I/O error'; END $$; CREATE TRIGGER fail_refs BEFORE INSERT ON message_refs FOR EACH ROW EXECUTE FUNCTION fail_refs()"
      : "CREATE TRIGGER fail_refs BEFORE INSERT ON message_refs BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END";
    const healRefs = onPostgres
      ? 'DROP TRIGGER fail_refs ON message_refs; DROP FUNCTION fail_refs()'
      : 'DROP TRIGGER fail_refs';
    let armed = true;
    let refused = 0;
    h.slack.intercept((call) => {
      if (!armed || call.method !== 'chat.postMessage' || call.params.channel !== MANAGERS_CHANNEL)
        return undefined;
      armed = false;
      // The database refuses to write message_refs from just before Slack answers, once.
      void sql(failRefs);
      const heal = (_error: unknown, query: { sql?: string }) => {
        if (!query.sql?.includes('message_refs')) return;
        refused++;
        h.db.removeListener('query-error', heal);
        void sql(healRefs);
      };
      h.db.on('query-error', heal);
      return { delayMs: 100, body: { ok: true, channel: MANAGERS_CHANNEL, ts: '1700000000.999999' } };
    });
    const id = await createRequest(h);
    await h.settled();
    expect(refused).toBe(1);
    expect(h.slack.messagesTo(MANAGERS_CHANNEL)).toHaveLength(1);
    expect(
      await h
        .db('message_refs')
        .where({ key: `card:${id}` })
        .first(),
    ).toMatchObject({
      ts: '1700000000.999999',
    });
  });

  it('retries a retryable ok:false answer, but not one that cannot heal', async () => {
    h.slack.failNext('chat.postMessage', 1, { body: { ok: false, error: 'internal_error' } });
    await createRequest(h);
    expect(h.slack.messagesTo(REP)).toHaveLength(1);
    const stop = h.slack.intercept((call) =>
      call.method === 'chat.postMessage' && call.params.channel === 'U0GONE'
        ? { body: { ok: false, error: 'channel_not_found' } }
        : undefined,
    );
    await createRequest(h, {}, 'U0GONE');
    stop();
    const failed = await outboxRows('failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].attempts).toBe(1);
    expect(failed[0].last_error).toContain('channel_not_found');
  });

  it('waits the Retry-After Slack gives on HTTP 429, then delivers', async () => {
    h.slack.failNext('chat.postMessage', 1, {
      status: 429,
      headers: { 'Retry-After': '1' },
      body: { ok: false, error: 'ratelimited' },
    });
    await submitRequest(h);
    const limited = await h.slack.waitFor(() =>
      h.slack.callsTo('chat.postMessage').find((c) => !c.succeeded),
    );
    const held = await h.slack.waitFor(() => h.db('outbox').whereNotNull('last_error').first());
    expect(Date.parse(held.next_attempt_at) - limited.at).toBeGreaterThanOrEqual(1000);
    // Everything else is out; the refused message waits for its second (the clock is moved, not waited for).
    await h.settled(5000, 0);
    const channel = String(limited.params.channel);
    expect(h.slack.messagesTo(channel)).toHaveLength(0);
    clock.offsetMs += 1000;
    await h.settled(5000, 0);
    expect(h.slack.messagesTo(channel)).toHaveLength(1);
    expect(h.slack.messagesTo(REP).length + h.slack.messagesTo(MANAGERS_CHANNEL).length).toBe(2);
  });

  it('keeps about a second between posts to one channel, but updates a card at once', () => {
    const frozen = new TestClock('2026-11-23T10:00:00.000Z');
    return Harness.run({ now: frozen.now, postSpacingMs: 1000 }, async (p) => {
      const first = await createRequest(p);
      await submitRequest(p, {}, 'U0REP2');
      await p.settled(5000, 0);
      // The second card waits for the channel's next slot; the second rep's DM goes to another channel.
      expect(p.slack.messagesTo(MANAGERS_CHANNEL)).toHaveLength(1);
      expect(p.slack.messagesTo('U0REP2')).toHaveLength(1);
      const waiting = await p.db('outbox').where({ status: 'pending' }).first();
      expect(waiting).toMatchObject({ attempts: 0, next_attempt_at: '2026-11-23T10:00:01.000Z' });

      await submitApproval(p, first, await contactId(p, 'jane@acme.example'));
      await p.settled(5000, 0);
      const [card] = p.slack.currentMessages(MANAGERS_CHANNEL);
      expect(textOf(card!)).toContain('Approved');
      expect(p.slack.messagesTo(MANAGERS_CHANNEL)).toHaveLength(1);

      frozen.advance(1000);
      await p.settled(5000, 0);
      expect(p.slack.messagesTo(MANAGERS_CHANNEL)).toHaveLength(2);
      expect(await p.db('outbox').whereNot({ status: 'sent' })).toEqual([]);
    });
  });

  it('delivers after a restart what a crashed process committed but never sent, exactly once', async () => {
    await Harness.run({ startWorker: false }, async (own) => {
      const res = await submitRequest(own);
      expect(res.text).toBe('');
      expect(own.slack.callsTo('chat.postMessage')).toHaveLength(0);
      expect(await outboxRows('pending', own)).toHaveLength(2);
      await own.restart();
      await own.settled();
      expect(own.slack.messagesTo(REP)).toHaveLength(1);
      expect(own.slack.messagesTo(MANAGERS_CHANNEL)).toHaveLength(1);
      await own.restart();
      await own.settled();
      expect(own.slack.callsTo('chat.postMessage')).toHaveLength(2);
    });
  });

  it('keeps one conversation in order while an earlier message is being retried', async () => {
    // A minute's backoff, so the approval is certainly queued behind the failed DM; the clock skips the minute.
    const slowRetries = { now: clock.now, delivery: { baseDelayMs: 60_000, maxDelayMs: 60_000 } };
    await Harness.run(slowRetries, async (own) => {
      let failed = false;
      own.slack.intercept((call) => {
        if (failed || call.method !== 'chat.postMessage' || call.params.channel !== REP) return undefined;
        failed = true;
        return { status: 500, body: 'boom' };
      });
      const id = await createRequest(own);
      await submitApproval(own, id, await contactId(own, 'jane@acme.example'));
      // All else goes out; both DMs to the rep wait in one queue behind the failed one.
      const pending = () => own.db('outbox').where({ status: 'pending' }).pluck('conversation');
      const waiting = await own.slack.waitFor(async () => {
        const conversations = await pending();
        return conversations.length === 2 && conversations;
      });
      expect(new Set(waiting).size).toBe(1);
      expect(own.slack.messagesTo(REP)).toHaveLength(0);
      clock.offsetMs += 75_000;
      await own.settled(5000, 0);
      const toRep = own.slack.messagesTo(REP).map((m) => textOf(m));
      expect(toRep).toHaveLength(2);
      expect(toRep[0]).toContain('Your ask is in');
      expect(toRep[1]).toContain('was approved');
    });
  });

  it('marks a delivery failed after repeated failure and tells the managers once', async () => {
    await Harness.run({ delivery: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 } }, async (own) => {
      const stop = own.slack.intercept((call) =>
        call.method === 'chat.postMessage' && call.params.channel === REP
          ? { status: 500, body: 'down' }
          : undefined,
      );
      const id = await createRequest(own);
      await own.settled();
      stop();
      const failed = await outboxRows('failed', own);
      expect(failed).toHaveLength(1);
      expect(failed[0].attempts).toBe(3);
      const notices = own.slack
        .messagesTo(MANAGERS_CHANNEL)
        .filter((m) => textOf(m).includes('could not deliver'));
      expect(notices).toHaveLength(1);
      expect(textOf(notices[0])).toContain(`REF-${id}`);
    });
  });

  it('handles an event that Slack redelivers only once', async () => {
    const base = sample('AppHomeOpenedPayload') as Record<string, unknown>;
    const envelope = {
      ...base,
      type: 'event_callback',
      team_id: 'T0123',
      api_app_id: 'A0123',
      event_id: 'Ev0HOME1',
      authorizations: [
        {
          enterprise_id: null,
          team_id: 'T0123',
          user_id: 'UBOT',
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      event: {
        ...(base.event as object),
        type: 'app_home_opened',
        user: REP,
        channel: 'D0REP',
        tab: 'home',
        event_ts: '1700000000.1',
      },
    };
    expect((await h.client.event(envelope)).status).toBe(200);
    await h.slack.waitFor(() => h.slack.callsTo('views.publish').length === 1);
    const retry = await h.client.event(envelope, {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    await h.client.event({ ...envelope, event_id: 'Ev0HOME2' });
    await h.slack.waitFor(() => h.slack.callsTo('views.publish').length === 2);
    await h.idle();
    await h.settled();
    expect(h.slack.callsTo('views.publish')).toHaveLength(2);
  });

  it('never lets a slow Web API hold up the acknowledgement', async () => {
    const jane = await contactId(h, 'jane@acme.example');
    const id = await createRequest(h);
    await submitApproval(h, id, jane);
    await h.settled();
    // Slack takes 2 s to answer chat.*: the owner's click is still acknowledged at once.
    const stop = h.slack.intercept((call) =>
      call.method.startsWith('chat.')
        ? { delayMs: 2000, body: { ok: true, channel: 'D0', ts: '1.2' } }
        : undefined,
    );
    const started = Date.now();
    const { res } = await clickOwnerAnswer(h, await currentAskId(h, id), 'agreed');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    stop();
    await h.settled(8000);
    expect(h.slack.messagesTo(REP).some((m) => textOf(m).includes('jane@acme.example'))).toBe(true);
  });
});
