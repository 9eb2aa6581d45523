import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import {
  approvalAnswers,
  clickCard,
  clickOwnerAnswer,
  contactId,
  createRequest,
  currentAskId,
  denialAnswers,
  MANAGER,
  mrkdwnOf,
  openDecision,
  requestStatus,
  responsesAt,
  submitApproval,
  submitView,
  textOf,
} from '../support/journey.ts';
import { blockAction, SIGNING_SECRET } from '../support/signed-client.ts';

describe('who may do what', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  afterAll(() => h.stop());

  async function countRows(table: string) {
    return Number(((await h.db(table).count({ n: '*' }).first()) as { n: number }).n);
  }

  it('rejects a forged signature with 401 and changes nothing', async () => {
    const res = await h.client.command(
      { user_id: 'U0REP1', text: 'cancel REF-1' },
      { secret: 'not-the-secret' },
    );
    expect(res.status).toBe(401);
    const id = await createRequest(h);
    const forged = await h.client.interaction(
      blockAction({
        user: MANAGER,
        actionId: 'approve_request',
        value: JSON.stringify({ requestId: id }),
        channel: MANAGERS_CHANNEL,
        responseUrl: h.nextResponseUrl(),
      }),
      { secret: `${SIGNING_SECRET}x` },
    );
    expect(forged.status).toBe(401);
    await h.idle();
    expect(
      h.slack.callsTo('views.open').map((c) => (c.params.view as { callback_id: string }).callback_id),
    ).toEqual(['reference_request']);
  });

  it('rejects a stale timestamp (replay) with 401 and changes nothing', async () => {
    const id = await createRequest(h);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await h.client.command(
      { user_id: 'U0REP1', text: `cancel REF-${id}` },
      { timestamp: sixMinutesAgo },
    );
    expect(res.status).toBe(401);
    expect(await requestStatus(h, id)).toBe('submitted');
  });

  it('rejects a request without signature headers', async () => {
    const res = await fetch(`${h.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'command=%2Freference&text=help',
    });
    expect(res.status).toBe(401);
  });

  it('tells a non-manager who clicks Approve or Deny that they cannot, and opens nothing', async () => {
    const id = await createRequest(h);
    const modals = h.slack.callsTo('views.open').length;
    for (const action of ['approve', 'deny'] as const) {
      const { res, responseUrl } = await clickCard(h, action, id, 'U0STRANGER');
      expect(res.status).toBe(200);
      const [reply] = await h.slack.waitFor(
        () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
      );
      expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(textOf(reply)).toMatch(/Only reference managers/);
    }
    await h.idle();
    expect(h.slack.callsTo('views.open')).toHaveLength(modals);
  });

  it('refuses a crafted approve or deny submission from a non-manager', async () => {
    const id = await createRequest(h);
    const jane = await contactId(h, 'jane@acme.example');
    // A non-manager cannot open the modals: these are a manager's, submitted as someone else.
    const approveModal = await openDecision(h, 'approve', id);
    const approve = await submitView(
      h,
      approveModal,
      'U0STRANGER',
      approvalAnswers(approveModal, { contact: jane }),
    );
    expect(approve.json()).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(approve.json())).toMatch(/Only reference managers/);
    const denyModal = await openDecision(h, 'deny', id);
    const deny = await submitView(h, denyModal, 'U0STRANGER', denialAnswers('no'));
    expect(deny.json()).toMatchObject({ response_action: 'update' });
    expect(await requestStatus(h, id)).toBe('submitted');
    expect(await countRows('reference_asks')).toBe(0);
  });

  it('lets only the account owner or a manager answer the owner nudge', async () => {
    const id = await createRequest(h);
    await submitApproval(h, id, await contactId(h, 'jane@acme.example'));
    await h.settled();
    const askId = await currentAskId(h, id);
    const { responseUrl } = await clickOwnerAnswer(h, askId, 'agreed', 'U0REP1');
    const [reply] = await h.slack.waitFor(
      () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
    );
    expect(textOf(reply)).toMatch(/Only <@U0OWNER1>/);
    expect(await requestStatus(h, id)).toBe('awaiting_owner');

    await clickOwnerAnswer(h, askId, 'cannot_ask', MANAGER);
    await h.settled();
    expect(await requestStatus(h, id)).toBe('submitted');
  });

  it('takes managers from REFERENCE_MANAGERS users and user groups when set', async () => {
    await Harness.run({ env: { REFERENCE_MANAGERS: 'U0BOSS, S0GROUP' } }, async (listed) => {
      listed.slack.groups.S0GROUP = ['U0GROUPIE'];
      // The group got its member after refdesk loaded the managers at start.
      listed.refdesk.roles.invalidate();
      const id = await createRequest(listed);
      // A member of the channel is not a manager when the list is set.
      const { responseUrl } = await clickCard(listed, 'approve', id, MANAGER);
      await listed.slack.waitFor(() => responsesAt(listed, responseUrl).length > 0);
      expect((await openDecision(listed, 'approve', id, 'U0BOSS')).callback_id).toBe('approve_request');
      expect((await openDecision(listed, 'deny', id, 'U0GROUPIE')).callback_id).toBe('deny_request');
      expect(listed.slack.callsTo('conversations.members')).toHaveLength(0);
    });
  });

  it('escapes user text so it cannot mention @channel or fake a link', async () => {
    const id = await createRequest(h, {
      prospect: 'Evil <!channel> Corp',
      context: 'Call <@U0CEO> now <https://evil.example|your bank> & more',
    });
    const card = h.slack.messagesTo(MANAGERS_CHANNEL)[0];
    const text = mrkdwnOf(card);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U0CEO>');
    expect(text).not.toContain('<https://evil.example');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('&amp; more');
    expect(mrkdwnOf(h.slack.messagesTo('U0REP1')[0])).not.toContain('<!channel>');
    expect(id).toBeGreaterThan(0);
  });
});
