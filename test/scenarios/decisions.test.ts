import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import {
  approvalAnswers,
  cardRef,
  clickCard,
  clickOwnerAnswer,
  contactId,
  createRequest,
  currentAskId,
  denialAnswers,
  MANAGER,
  OWNER,
  openDecision,
  REP,
  requestStatus,
  responsesAt,
  submitApproval,
  submitView,
  textOf,
} from '../support/journey.ts';

const KIM_OWNER = 'U0OWNER2';

describe('managers decide, owners answer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  afterAll(() => h.stop());

  it('deny asks for a reason, updates the card and tells the rep why', async () => {
    const id = await createRequest(h);
    const modal = await openDecision(h, 'deny', id);
    expect(modal.callback_id).toBe('deny_request');

    const empty = await submitView(h, modal, MANAGER, denialAnswers('  '));
    expect(empty.json()).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.stringMatching(/why/) },
    });
    expect(await requestStatus(h, id)).toBe('submitted');

    // The modal stays open with the error; the manager gives a reason and submits it again.
    const denied = await submitView(h, modal, MANAGER, denialAnswers('Deal is too early <!here>'));
    expect(denied.status).toBe(200);
    await h.settled();
    expect(await requestStatus(h, id)).toBe('denied');
    const { ts } = await cardRef(h, id);
    const update = h.slack.callsTo('chat.update').find((c) => c.params.ts === ts);
    expect(textOf(update?.params)).toContain('Denied by <@U0RM1>');
    expect(textOf(update?.params)).not.toContain('approve_request');
    const dm = h.slack.messagesTo(REP).at(-1);
    expect(textOf(dm)).toContain('Deal is too early &lt;!here&gt;');
    const history = await h.db('request_history').where({ request_id: id, to_status: 'denied' }).first();
    expect(history).toMatchObject({
      actor_id: MANAGER,
      from_status: 'submitted',
      reason: 'Deal is too early <!here>',
    });
  });

  it('requires a contact to approve', async () => {
    const id = await createRequest(h);
    const res = await submitApproval(h, id, null);
    expect(res.json()).toMatchObject({ response_action: 'errors', errors: { contact: expect.any(String) } });
    const paused = await contactId(h, 'pat@globex.example');
    const again = await submitApproval(h, id, paused);
    expect(again.json()).toMatchObject({
      response_action: 'errors',
      errors: { contact: expect.stringMatching(/not active/) },
    });
    expect(await requestStatus(h, id)).toBe('submitted');
  });

  it('after a decline the request goes back to the managers, who approve another contact', async () => {
    const id = await createRequest(h);
    await submitApproval(h, id, await contactId(h, 'jane@acme.example'));
    await h.settled();
    const firstAsk = await currentAskId(h, id);
    await clickOwnerAnswer(h, firstAsk, 'declined');
    await h.settled();

    expect(await requestStatus(h, id)).toBe('submitted');
    const card = await cardRef(h, id);
    const thread = h.slack.messagesTo(card.channel).find((m) => m.thread_ts === card.ts);
    expect(textOf(thread)).toMatch(/They declined/);
    const latestCard = h.slack
      .callsTo('chat.update')
      .filter((c) => c.params.ts === card.ts)
      .at(-1);
    expect(textOf(latestCard?.params)).toContain('approve_request');
    expect(textOf(h.slack.messagesTo(REP).at(-1))).toMatch(/look for another contact/);
    // The owner's nudge lost its buttons.
    const nudgeUpdate = h.slack.callsTo('chat.update').find((c) => c.params.channel === `D${OWNER.slice(1)}`);
    expect(textOf(nudgeUpdate?.params)).not.toContain('owner_agreed');

    await submitApproval(h, id, await contactId(h, 'kim@globex.example'), 'Second try');
    await h.settled();
    expect(await requestStatus(h, id)).toBe('awaiting_owner');
    const nudge = h.slack.messagesTo(KIM_OWNER)[0];
    expect(textOf(nudge)).toContain('Kim Lee');

    // The first owner's old buttons change nothing now.
    const { responseUrl } = await clickOwnerAnswer(h, firstAsk, 'agreed');
    const [reply] = await h.slack.waitFor(
      () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
    );
    expect(textOf(reply)).toMatch(/already answered/);
    expect(await requestStatus(h, id)).toBe('awaiting_owner');

    const asks = await h.db('reference_asks').where({ request_id: id }).orderBy('round');
    expect(asks.map((a: { round: number; answer: string | null }) => [a.round, a.answer])).toEqual([
      [1, 'declined'],
      [2, null],
    ]);
  });

  it("records 'can't ask now' and tells the managers on the card's thread", async () => {
    const id = await createRequest(h);
    await submitApproval(h, id, await contactId(h, 'raj@acme.example'));
    await h.settled();
    await clickOwnerAnswer(h, await currentAskId(h, id), 'cannot_ask');
    await h.settled();
    const card = await cardRef(h, id);
    const thread = h.slack.messagesTo(MANAGERS_CHANNEL).find((m) => m.thread_ts === card.ts);
    expect(textOf(thread)).toMatch(/Can't ask now/);
    expect(await requestStatus(h, id)).toBe('submitted');
  });

  it('a second click on a decided request changes nothing, sends no second DM and says who decided', async () => {
    const id = await createRequest(h);
    const jane = await contactId(h, 'jane@acme.example');
    // The second manager opened the approve modal before the first one approved.
    const late = await openDecision(h, 'approve', id, 'U0RM2');
    await submitApproval(h, id, jane);
    await h.settled();
    const dmsBefore = h.slack.callsTo('chat.postMessage').length;
    const modalsBefore = h.slack.callsTo('views.open').length;

    const again = await submitView(h, late, 'U0RM2', approvalAnswers(late, { contact: jane }));
    expect(again.json()).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(again.json())).toMatch(/already approved by <@U0RM1>/);

    const { responseUrl } = await clickCard(h, 'approve', id, 'U0RM2');
    const [reply] = await h.slack.waitFor(
      () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
    );
    expect(textOf(reply)).toMatch(/already approved by <@U0RM1>/);
    const deny = await clickCard(h, 'deny', id, 'U0RM2');
    await h.slack.waitFor(() => responsesAt(h, deny.responseUrl).length > 0);
    expect(h.slack.callsTo('views.open')).toHaveLength(modalsBefore);

    await h.settled();
    expect(h.slack.callsTo('chat.postMessage').length).toBe(dmsBefore);
    expect(await h.db('reference_asks').where({ request_id: id })).toHaveLength(1);

    const askId = await currentAskId(h, id);
    await clickOwnerAnswer(h, askId, 'agreed');
    const second = await clickOwnerAnswer(h, askId, 'agreed');
    const [told] = await h.slack.waitFor(
      () => responsesAt(h, second.responseUrl).length > 0 && responsesAt(h, second.responseUrl),
    );
    expect(textOf(told)).toMatch(/already answered by <@U0OWNER1>/);
    await h.settled();
    const agreedDms = h.slack.messagesTo(REP).filter((m) => textOf(m).includes('jane@acme.example'));
    expect(agreedDms).toHaveLength(1);
  });

  it('of two managers approving at the same moment, exactly one wins', async () => {
    const id = await createRequest(h);
    const jane = await contactId(h, 'jane@acme.example');
    const kim = await contactId(h, 'kim@globex.example');
    const [approve1, approve2, deny1] = await Promise.all([
      openDecision(h, 'approve', id, 'U0RM1'),
      openDecision(h, 'approve', id, 'U0RM2'),
      openDecision(h, 'deny', id, 'U0RM1'),
    ]);
    const results = await Promise.all([
      submitView(h, approve1, 'U0RM1', approvalAnswers(approve1, { contact: jane, note: 'from RM1' })),
      submitView(h, approve2, 'U0RM2', approvalAnswers(approve2, { contact: kim, note: 'from RM2' })),
      submitView(h, deny1, 'U0RM1', denialAnswers('from RM1 as well')),
    ]);
    const winners = results.filter((r) => r.text === '');
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((r) => r.text !== '')) {
      expect(loser.json()).toMatchObject({ response_action: 'update' });
    }
    await h.settled();
    const asks = await h.db('reference_asks').where({ request_id: id });
    const status = await requestStatus(h, id);
    expect(status === 'denied' ? asks.length === 0 : asks.length === 1).toBe(true);
    const ownerDms = [...h.slack.messagesTo(OWNER), ...h.slack.messagesTo(KIM_OWNER)];
    expect(ownerDms).toHaveLength(status === 'denied' ? 0 : 1);
    const history = await h.db('request_history').where({ request_id: id });
    expect(history).toHaveLength(2);
  });

  it('two owner clicks at the same moment record one answer', async () => {
    const id = await createRequest(h);
    await submitApproval(h, id, await contactId(h, 'jane@acme.example'));
    await h.settled();
    const askId = await currentAskId(h, id);
    const clicks = await Promise.all([
      clickOwnerAnswer(h, askId, 'agreed'),
      clickOwnerAnswer(h, askId, 'declined'),
      clickOwnerAnswer(h, askId, 'agreed', MANAGER),
    ]);
    // The two late clicks are told so; the first one is not.
    await h.slack.waitFor(() => clicks.filter((c) => responsesAt(h, c.responseUrl).length > 0).length === 2);
    await h.settled();
    const history = await h.db('request_history').where({ request_id: id });
    expect(history).toHaveLength(3);
    expect(h.slack.messagesTo(REP)).toHaveLength(3); // submitted, approved, one answer
  });

  it('old buttons still work after a restart', async () => {
    const id = await createRequest(h);
    await h.restart();
    const modal = await openDecision(h, 'approve', id);
    await h.restart();
    // A modal opened before a restart is submitted after it.
    const jane = await contactId(h, 'jane@acme.example');
    expect((await submitView(h, modal, MANAGER, approvalAnswers(modal, { contact: jane }))).text).toBe('');
    await h.settled();
    const askId = await currentAskId(h, id);
    await h.restart();
    await clickOwnerAnswer(h, askId, 'agreed');
    await h.settled();
    expect(await requestStatus(h, id)).toBe('agreed');
    // The card posted before the restarts is the one updated in place.
    const card = await cardRef(h, id);
    expect(h.slack.messagesTo(MANAGERS_CHANNEL)).toHaveLength(1);
    expect(
      h.slack.callsTo('chat.update').filter((c) => c.params.ts === card.ts).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('a button value or form that was tampered with changes nothing', async () => {
    const id = await createRequest(h);
    const responseUrl = h.nextResponseUrl();
    const bogus = await h.client.interaction({
      type: 'block_actions',
      user: { id: MANAGER },
      team: { id: 'T0123' },
      trigger_id: 't',
      response_url: responseUrl,
      container: { type: 'message', channel_id: MANAGERS_CHANNEL, message_ts: '1.2' },
      channel: { id: MANAGERS_CHANNEL },
      actions: [
        {
          type: 'button',
          action_id: 'approve_request',
          block_id: 'decision',
          value: '{"requestId":"1; drop table"}',
        },
      ],
    });
    expect(bogus.status).toBe(200);
    const [told] = await h.slack.waitFor(
      () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
    );
    expect(textOf(told)).toMatch(/out of date/);
    const res = await h.client.interaction({
      type: 'view_submission',
      user: { id: MANAGER },
      team: { id: 'T0123' },
      view: {
        id: 'V1',
        type: 'modal',
        callback_id: 'approve_request',
        private_metadata: 'not json',
        state: { values: {} },
      },
    });
    expect(res.json()).toMatchObject({
      response_action: 'errors',
      errors: { contact: expect.stringMatching(/out of date/) },
    });
    expect(await requestStatus(h, id)).toBe('submitted');
  });
});
