import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEWS } from '../../src/slack/ids.ts';
import { RequestStore } from '../../src/store/request-store.ts';
import { TestClock } from '../support/clock.ts';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import {
  cardRef,
  clickButton,
  clickOwnerAnswer,
  contactId,
  createRequest,
  currentAskId,
  modalOpenedBy,
  OWNER,
  REP,
  requestStatus,
  responsesAt,
  submitApproval,
  submitView,
  textOf,
} from '../support/journey.ts';

const DAY = 86_400_000;

/** The lifecycle with a clock the test moves: reminders, escalation, expiry, follow-ups, outcomes. */
describe('durable lifecycle', () => {
  let h: Harness;
  const clock = new TestClock('2026-11-20T12:00:00.000Z');
  beforeAll(async () => {
    h = await Harness.start({ now: clock.now });
  });
  afterAll(() => h.stop());

  /** A fresh harness whose clock reads `iso`. */
  async function start(iso: string) {
    clock.set(iso);
    await h.reset();
    h.slack.timeZones[OWNER] = 'America/New_York';
    h.slack.timeZones[REP] = 'Europe/Berlin';
  }

  /** One lifecycle pass at `iso`, then wait for what it sent. */
  async function tick(iso: string) {
    clock.set(iso);
    await h.refdesk.lifecycle.runNow();
    await h.settled();
  }

  async function approvedAsk(fields = {}) {
    const id = await createRequest(h, { neededBy: '2026-12-18', ...fields });
    await submitApproval(h, id, await contactId(h, 'jane@acme.example'));
    await h.settled();
    // The owner's time zone arrives in the background, from users.info.
    await h.slack.waitFor(async () => (await h.db('slack_users').where({ id: OWNER }).first())?.tz);
    return { id, askId: await currentAskId(h, id) };
  }

  /** The owner presses "Remind me in 2 days"; resolves with refdesk's private reply. */
  async function snooze(askId: number) {
    const { responseUrl } = await clickButton(h, {
      user: OWNER,
      actionId: 'snooze_reminder',
      value: { askId },
      channel: 'D0OWNER1',
      blockId: 'owner_answer',
    });
    const [told] = await h.slack.waitFor(
      () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
    );
    return told;
  }

  /** The rep clicks a button of a message about request `requestId` in their DM. */
  const repClicks = (actionId: string, requestId: number) =>
    clickButton(h, { user: REP, actionId, value: { requestId }, channel: 'D0REP1' });

  const reminders = () => h.slack.messagesTo(OWNER).filter((m) => textOf(m).includes('Reminder'));

  it('reminds the owner after 2 business days in their time zone, skipping the weekend, then tells the managers', async () => {
    // Friday 20 Nov 2026, 16:00 in New York.
    await start('2026-11-20T21:00:00.000Z');
    const { id } = await approvedAsk();

    await tick('2026-11-23T21:00:00.000Z'); // Monday: one business day
    expect(reminders()).toHaveLength(0);
    await tick('2026-11-24T21:00:01.000Z'); // Tuesday: two business days
    expect(reminders()).toHaveLength(1);
    expect(textOf(reminders()[0])).toContain('Reminder 1 of 2');
    expect(textOf(reminders()[0])).toContain('snooze_reminder');
    await tick('2026-11-24T23:00:00.000Z');
    expect(reminders()).toHaveLength(1);
    await tick('2026-11-26T21:00:02.000Z'); // Thursday
    expect(reminders()).toHaveLength(2);

    const card = await cardRef(h, id);
    const thread = () => h.slack.messagesTo(MANAGERS_CHANNEL).filter((m) => m.thread_ts === card.ts);
    await tick('2026-11-28T12:00:00.000Z'); // Saturday: nothing happens on a weekend
    expect(thread()).toHaveLength(0);
    await tick('2026-11-30T21:00:03.000Z'); // Monday
    expect(thread()).toHaveLength(1);
    expect(textOf(thread()[0])).toMatch(/has not answered about Jane Doe after 2 reminders/);
    expect(textOf(thread()[0])).toContain('owner_agreed');

    await tick('2026-12-04T21:00:00.000Z');
    expect(reminders()).toHaveLength(2);
    expect(thread()).toHaveLength(1);
    const ask = await h.db('reference_asks').where({ request_id: id }).first();
    expect(ask).toMatchObject({ reminders_sent: 2 });
    expect(ask.escalated_at).not.toBeNull();
  });

  it('keeps live buttons only on the newest nudge or reminder, and on none once answered', async () => {
    await start('2026-11-20T21:00:00.000Z');
    const { askId } = await approvedAsk();
    await tick('2026-11-24T21:00:01.000Z');
    await tick('2026-11-26T21:00:02.000Z');
    const live = () => h.slack.currentMessages(OWNER).map((m) => textOf(m).includes('owner_agreed'));
    expect(live()).toEqual([false, false, true]);
    expect(textOf(h.slack.currentMessages(OWNER)[0])).toContain('A reminder below replaces this message');
    await clickOwnerAnswer(h, askId, 'agreed');
    await h.settled();
    expect(live()).toEqual([false, false, false]);
  });

  it("fetches the owner's time zone again on the next pass when the first fetch failed", async () => {
    await start('2026-11-20T21:00:00.000Z');
    let failures = 1;
    h.slack.intercept((call) =>
      call.method === 'users.info' && call.params.user === OWNER && failures-- > 0
        ? { body: { ok: false, error: 'internal_error' } }
        : undefined,
    );
    const id = await createRequest(h, { neededBy: '2026-12-18' });
    await submitApproval(h, id, await contactId(h, 'jane@acme.example'));
    await h.settled();
    await h.slack.waitFor(() => failures < 0 || h.slack.callsTo('users.info').some((c) => !c.succeeded));
    const zone = async () => (await h.db('slack_users').where({ id: OWNER }).first())?.tz ?? null;
    expect(await zone()).toBeNull();
    await tick('2026-11-23T21:00:00.000Z');
    expect(await zone()).toBe('America/New_York');
  });

  it('survives a restart between reminders without losing or repeating one', async () => {
    await start('2026-11-20T21:00:00.000Z');
    await approvedAsk();
    await tick('2026-11-24T21:00:01.000Z');
    expect(reminders()).toHaveLength(1);
    await h.restart();
    await tick('2026-11-24T22:00:00.000Z');
    expect(reminders()).toHaveLength(1);
    await tick('2026-11-26T21:00:02.000Z');
    expect(reminders()).toHaveLength(2);
  });

  it('neither reminds, escalates nor snoozes an ask whose request stopped waiting on the owner', async () => {
    await start('2026-11-20T21:00:00.000Z');
    const { id, askId } = await approvedAsk();
    // Another replica cancelled it after this one listed the asks due a reminder.
    await h.db('reference_requests').where({ id }).update({ status: 'cancelled' });
    const store = new RequestStore();
    expect(await store.markReminded(h.db, askId, 0, '2026-11-24T21:00:01.000Z')).toBe(false);
    expect(await store.markEscalated(h.db, askId, '2026-11-24T21:00:01.000Z')).toBe(false);
    const told = await snooze(askId);
    expect(textOf(told)).toMatch(/is not waiting for your answer any more/);
    await tick('2026-11-24T21:00:01.000Z');
    expect(reminders()).toHaveLength(0);
  });

  it('lets the owner push the next reminder back two business days', async () => {
    await start('2026-11-20T21:00:00.000Z');
    const { askId } = await approvedAsk();
    await tick('2026-11-24T21:00:01.000Z'); // first reminder, Tuesday
    clock.set('2026-11-25T15:00:00.000Z'); // Wednesday 10:00 in New York
    const told = await snooze(askId);
    expect(textOf(told)).toMatch(/I will not remind you before/);
    await tick('2026-11-26T21:00:02.000Z'); // Thursday: would have been due, but snoozed until Friday
    expect(reminders()).toHaveLength(1);
    await tick('2026-11-27T15:00:01.000Z'); // Friday 10:00 in New York
    expect(reminders()).toHaveLength(2);
  });

  it('expires a request still waiting when its needed-by date has passed, and tells rep and managers', async () => {
    await start('2026-11-20T12:00:00.000Z');
    const waiting = await createRequest(h, { neededBy: '2026-11-24' });
    const { id: withOwner } = await approvedAsk({ neededBy: '2026-11-24' });
    // The rep is in Berlin: their 24 November ends at 23:00 UTC.
    await tick('2026-11-24T22:59:00.000Z');
    expect(await requestStatus(h, waiting)).toBe('submitted');
    await tick('2026-11-24T23:00:01.000Z');
    expect(await requestStatus(h, waiting)).toBe('expired');
    expect(await requestStatus(h, withOwner)).toBe('expired');
    expect(h.slack.messagesTo(REP).filter((m) => textOf(m).includes('expired'))).toHaveLength(2);
    const card = await cardRef(h, waiting);
    expect(
      h.slack
        .messagesTo(MANAGERS_CHANNEL)
        .some((m) => m.thread_ts === card.ts && textOf(m).includes('expired')),
    ).toBe(true);
    const history = await h
      .db('request_history')
      .where({ request_id: waiting, to_status: 'expired' })
      .first();
    expect(history).toMatchObject({ actor_id: 'refdesk', from_status: 'submitted' });
    // The owner's nudge loses its buttons.
    expect(
      h.slack
        .callsTo('chat.update')
        .some((c) => String(c.params.channel).startsWith('D') && textOf(c.params).includes('expired')),
    ).toBe(true);
    await tick('2026-11-26T00:00:01.000Z');
    expect(h.slack.messagesTo(REP).filter((m) => textOf(m).includes('expired'))).toHaveLength(2);
  });

  it('asks the rep "Did it happen?" the business day after, records the outcome and feeds the matcher', async () => {
    await start('2026-11-20T12:00:00.000Z');
    const { id, askId } = await approvedAsk({ neededBy: '2026-11-27' }); // a Friday
    await clickOwnerAnswer(h, askId, 'agreed');
    await h.settled();
    // The rep's time zone was learned when they opened the request form.
    expect(await h.db('slack_users').where({ id: REP }).first()).toMatchObject({ tz: 'Europe/Berlin' });

    const followups = () => h.slack.messagesTo(REP).filter((m) => textOf(m).includes('Did it happen?'));
    await tick('2026-11-28T09:00:00.000Z'); // Saturday
    expect(followups()).toHaveLength(0);
    await tick('2026-11-30T07:59:00.000Z'); // Monday 08:59 in Berlin
    expect(followups()).toHaveLength(0);
    await tick('2026-11-30T08:00:00.000Z'); // Monday 09:00 in Berlin
    expect(followups()).toHaveLength(1);
    expect(textOf(followups()[0])).toContain('outcome_yes');
    await tick('2026-12-01T08:00:00.000Z');
    expect(followups()).toHaveLength(1);

    const modal = await modalOpenedBy(h, await repClicks('outcome_yes', id));
    expect(modal.callback_id).toBe(VIEWS.outcome);
    const bad = await submitView(h, modal, REP, { rating: { rating_select: null } });
    expect(bad.json()).toMatchObject({ response_action: 'errors', errors: { rating: expect.any(String) } });
    const notTheirs = await submitView(h, modal, 'U0OTHER', { rating: { rating_select: '1' } });
    expect(JSON.stringify(notTheirs.json())).toMatch(/Only <@U0REP1>/);
    const saved = await submitView(h, modal, REP, {
      rating: { rating_select: '5' },
      helped: { helped_input: 'Same rollout story' },
      moved_deal: { moved_deal_select: 'yes' },
    });
    expect(saved.text).toBe('');
    await h.settled();
    expect(await requestStatus(h, id)).toBe('completed');
    expect(await h.db('reference_outcomes').where({ request_id: id }).first()).toMatchObject({
      rating: 5,
      moved_deal: 'yes',
      helped: 'Same rollout story',
    });
    expect((await h.db('reference_asks').where({ id: askId }).first()).rating).toBe(5);
    expect(textOf(h.slack.messagesTo(OWNER).at(-1))).toMatch(/Please thank Jane Doe/);
    const card = await cardRef(h, id);
    expect(
      textOf(
        h.slack
          .callsTo('chat.update')
          .filter((c) => c.params.ts === card.ts)
          .at(-1)?.params,
      ),
    ).toContain('It happened, rated 5/5');

    // The rating now counts in the matcher's explanations (once Jane may be asked again).
    clock.set('2026-12-20T12:00:00.000Z');
    const second = await createRequest(h, { neededBy: '2026-12-30' });
    expect(
      textOf(h.slack.messagesTo(MANAGERS_CHANNEL).find((m) => textOf(m).includes(`REF-${second}`))),
    ).toContain('Rated 5.0/5 by reps');

    // Later the deal is won: influenced revenue, recorded from the button on the thanks.
    const dealForm = await modalOpenedBy(h, await repClicks('record_deal', id));
    const deal = await submitView(h, dealForm, REP, {
      result: { result_select: 'won' },
      amount: { amount_input: '240000' },
    });
    expect(deal.text).toBe('');
    expect(await h.db('reference_outcomes').where({ request_id: id }).first()).toMatchObject({
      deal_result: 'won',
      deal_amount: 240000,
    });
  });

  it('records that it did not happen, and lets the rep choose another day for the question', async () => {
    await start('2026-11-20T12:00:00.000Z');
    const { id, askId } = await approvedAsk({ neededBy: '2026-11-25' });
    await clickOwnerAnswer(h, askId, 'agreed');
    await h.settled();
    const followups = () => h.slack.messagesTo(REP).filter((m) => textOf(m).includes('Did it happen?'));
    await tick('2026-11-26T12:00:00.000Z');
    expect(followups()).toHaveLength(1);
    const later = await modalOpenedBy(h, await repClicks('followup_later', id));
    expect((await submitView(h, later, REP, { followup_on: { followup_on_date: '2026-12-02' } })).text).toBe(
      '',
    );
    await tick('2026-11-27T12:00:00.000Z');
    expect(followups()).toHaveLength(1);
    await tick('2026-12-02T09:00:00.000Z');
    expect(followups()).toHaveLength(2);

    const notHeld = await modalOpenedBy(h, await repClicks('outcome_no', id));
    const no = await submitView(h, notHeld, REP, { why_not: { why_not_input: 'Prospect went silent' } });
    expect(no.text).toBe('');
    expect(await requestStatus(h, id)).toBe('not_held');
    expect(await h.db('reference_outcomes').where({ request_id: id }).first()).toMatchObject({
      why_not: 'Prospect went silent',
    });
    const again = await submitView(h, notHeld, REP, { why_not: { why_not_input: 'twice' } });
    expect(again.json()).toMatchObject({ response_action: 'update' });
  });

  it('keeps a day of quiet when nothing is due', async () => {
    await start('2026-11-20T12:00:00.000Z');
    await approvedAsk();
    const before = h.slack.calls.length;
    await tick(new Date(Date.parse('2026-11-20T12:00:00.000Z') + DAY / 2).toISOString());
    expect(h.slack.calls.length).toBe(before);
  });
});
