import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import {
  approvalAnswers,
  cardRef,
  clickOwnerAnswer,
  contactId,
  createRequest,
  currentAskId,
  MANAGER,
  OWNER,
  openDecision,
  REP,
  requestStatus,
  submitView,
  textOf,
} from '../support/journey.ts';

describe('the core loop, end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  afterAll(() => h.stop());

  it('opens the request modal with options from the directory', async () => {
    const res = await h.client.command({
      user_id: REP,
      text: '',
      trigger_id: 'trig-1',
      response_url: h.nextResponseUrl(),
    });
    expect(res.status).toBe(200);
    const open = await h.slack.waitFor(() => h.slack.callsTo('views.open')[0]);
    expect(open.params.trigger_id).toBe('trig-1');
    const view = open.params.view as {
      callback_id: string;
      blocks: { block_id: string; element: { options?: { value: string }[] } }[];
    };
    expect(view.callback_id).toBe('reference_request');
    const industry = view.blocks.find((b) => b.block_id === 'industry');
    expect(industry?.element.options?.map((o) => o.value)).toEqual(['Healthcare', 'Manufacturing']);
  });

  it('rep asks, manager approves, owner secures the contact, rep gets the details', async () => {
    const jane = await contactId(h, 'jane@acme.example');
    const id = await createRequest(h, { preferredContactId: String(jane) });

    const dm = h.slack.messagesTo(REP)[0];
    expect(textOf(dm)).toContain(`REF-${id}`);
    const card = h.slack.messagesTo(MANAGERS_CHANNEL)[0];
    expect(textOf(card)).toContain('Jane Doe');
    expect(textOf(card)).toContain('approve_request');

    const modal = await openDecision(h, 'approve', id);
    expect(JSON.stringify(modal)).toContain('Jane Doe');

    // The rep's preferred contact is already picked: the manager only adds a note.
    const approved = await submitView(
      h,
      modal,
      MANAGER,
      approvalAnswers(modal, { note: 'Keep it to 30 minutes' }),
    );
    expect(approved.status).toBe(200);
    expect(approved.text).toBe('');
    await h.settled();
    expect(await requestStatus(h, id)).toBe('awaiting_owner');

    const { ts } = await cardRef(h, id);
    const update = h.slack.callsTo('chat.update').find((c) => c.params.ts === ts);
    expect(textOf(update?.params)).not.toContain('approve_request');
    expect(textOf(update?.params)).toContain(MANAGER);

    const nudge = h.slack.messagesTo(OWNER)[0];
    expect(textOf(nudge)).toContain('owner_agreed');
    expect(textOf(nudge)).toContain('Keep it to 30 minutes');
    expect(textOf(nudge)).not.toContain('jane@acme.example');
    expect(h.slack.messagesTo(REP).some((m) => textOf(m).includes('jane@acme.example'))).toBe(false);

    const askId = await currentAskId(h, id);
    await clickOwnerAnswer(h, askId, 'agreed');
    await h.settled();
    expect(await requestStatus(h, id)).toBe('agreed');
    const agreed = h.slack.messagesTo(REP).at(-1);
    expect(textOf(agreed)).toContain('jane@acme.example');
    expect(textOf(agreed)).toContain('CFO');

    const history = await h.db('request_history').where({ request_id: id }).orderBy('id');
    expect(history.map((r: { to_status: string }) => r.to_status)).toEqual([
      'submitted',
      'awaiting_owner',
      'agreed',
    ]);
  });
});
