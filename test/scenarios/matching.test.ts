import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import {
  approvalAnswers,
  clickInView,
  contactId,
  createRequest,
  MANAGER,
  openDecision,
  openRequestForm,
  REP,
  type RequestFields,
  requestAnswers,
  requestStatus,
  submitApproval,
  submitView,
  textOf,
} from '../support/journey.ts';
import { suggestionIn, updatedView } from '../support/views.ts';

describe('matching in Slack', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  afterAll(() => h.stop());

  /** The rep fills in the request form and clicks "Find matches"; resolves with the form showing them. */
  async function findMatches(fields: RequestFields) {
    const form = await openRequestForm(h);
    const answers = requestAnswers(form, fields);
    await clickInView(h, form, REP, { actionId: 'find_matches' }, answers);
    const update = await h.slack.waitFor(() => h.slack.callsTo('views.update')[0]);
    return { form, answers, update, found: updatedView(h.slack, form) };
  }

  it('shows the top matches in the request form, says why, and a click makes one the preferred contact', async () => {
    const {
      form,
      answers,
      update,
      found: withMatches,
    } = await findMatches({
      industry: 'Manufacturing',
      region: 'North America',
      seniority: 'vp',
    });
    // The update names the view and the version the click came from, so Slack refuses it if the rep changed it meanwhile.
    expect(update.params).toMatchObject({ view_id: form.id, hash: form.hash });
    const found = textOf(withMatches);
    expect(found).toContain('Top matches for these criteria');
    expect(found).toContain('1. *Kim Lee*');
    expect(found).toContain('Same industry: Manufacturing · Uses Analytics · North America');
    expect(found).toContain('VP for a VP');
    expect(found).toContain('different industry (Healthcare)');
    expect(found).not.toContain('Pat Quiet'); // paused

    const kim = await contactId(h, 'kim@globex.example');
    const choose = { actionId: 'choose_match', value: JSON.stringify({ contactId: kim }) };
    await clickInView(h, withMatches, REP, choose, answers);
    await h.slack.waitFor(() => h.slack.callsTo('views.update').length === 2);
    const chosen = updatedView(h.slack, form);
    const preferred = chosen.blocks.find((b) => b.block_id === 'preferred_contact~1');
    expect(preferred?.element?.initial_option).toMatchObject({ value: String(kim) });
    expect(JSON.parse(chosen.private_metadata!)).toEqual({ v: 1 });
    // The rep's other answers are kept.
    expect(chosen.blocks.find((b) => b.block_id === 'prospect')?.element?.initial_value).toBe(
      'Globex Prospect Inc',
    );
  });

  it('says which filter emptied the list and offers the nearest matches without it', async () => {
    const text = textOf((await findMatches({ activity: 'site_visit' })).found);
    expect(text).toContain('No active contact has agreed to a site visit yet.');
    expect(text).toContain('The nearest matches');
    expect(text).toContain('has not agreed to a site visit');
    expect(text).toContain('Jane Doe');
  });

  it('asks for the activity before matching', async () => {
    expect(textOf((await findMatches({ activity: null })).found)).toContain('Pick the activity first');
  });

  it('puts the top 3 on the card and orders the approval typeahead by fit for the request', async () => {
    const id = await createRequest(h, {
      industry: 'Manufacturing',
      region: 'North America',
      seniority: 'vp',
      products: [],
    });
    const card = h.slack.messagesTo(MANAGERS_CHANNEL)[0];
    expect(textOf(card)).toContain('Top matches');
    expect(textOf(card)).toContain('1. *Kim Lee*');

    const modal = await openDecision(h, 'approve', id);
    const options = async (value: string) => {
      const res = await h.client.interaction(suggestionIn(modal, MANAGER, 'contact_select', value));
      return (res.json().options as { text: { text: string } }[]).map((o) => o.text.text);
    };
    const all = await options('');
    expect(all[0]).toBe('Kim Lee, Globex · VP Operations');
    expect(all).toHaveLength(3); // active contacts only
    // Both one level from a VP; Jane has been a customer longer.
    expect(await options('acme')).toEqual([
      'Jane Doe, Acme Health · CFO',
      'Raj Patel, Acme Health · Director of IT',
    ]);
  });

  it('opens the approval with the best match and its fit when the rep named nobody', async () => {
    const id = await createRequest(h, { industry: 'Manufacturing', seniority: 'vp' });
    const modal = await openDecision(h, 'approve', id);
    const contact = modal.blocks.find((b) => b.block_id === 'contact');
    expect(contact?.element?.initial_option).toMatchObject({
      value: String(await contactId(h, 'kim@globex.example')),
    });
    expect(textOf(modal as unknown as Record<string, unknown>)).toContain('Same industry: Manufacturing');
  });

  it('warns about collisions: an open ask, and a contact who already spoke with the prospect', async () => {
    const jane = await contactId(h, 'jane@acme.example');
    const first = await createRequest(h, { prospect: 'Initech', preferredContactId: String(jane) });
    await submitApproval(h, first, jane);
    await h.settled();
    await createRequest(h, { prospect: 'initech ', preferredContactId: String(jane) });
    const card = h.slack.messagesTo(MANAGERS_CHANNEL).at(-1);
    expect(textOf(card)).toContain('already has an open ask');

    await h.db('reference_asks').where({ request_id: first }).update({ answer: 'agreed' });
    await h
      .db('reference_requests')
      .where({ id: first })
      .update({ status: 'agreed', needed_by: '2020-01-01' });
    await h.db('refdesk_revisions').where({ name: 'usage' }).increment('value', 1);
    const third = await createRequest(h, { prospect: 'INITECH', preferredContactId: String(jane) });
    expect(textOf(h.slack.messagesTo(MANAGERS_CHANNEL).at(-1))).toContain('already spoke with INITECH');
    expect(third).toBeGreaterThan(first);
  });

  it('refuses an over-limit contact unless the manager gives an override reason, which the history keeps', async () => {
    const jane = await contactId(h, 'jane@acme.example');
    const first = await createRequest(h);
    await submitApproval(h, first, jane);
    const second = await createRequest(h, { prospect: 'Second Prospect' });

    const modal = await openDecision(h, 'approve', second);
    const refused = await submitView(h, modal, MANAGER, approvalAnswers(modal, { contact: jane }));
    expect(refused.json()).toMatchObject({ response_action: 'errors' });
    const message = (refused.json().errors as Record<string, string>).contact;
    expect(message).toContain('already has an open ask');
    expect(message).toContain('asked today (the program waits 14 days between asks)');
    expect(message).toContain('override reason');
    expect(await requestStatus(h, second)).toBe('submitted');

    const overrideReason = 'Only CFO in healthcare; she offered';
    const res = await submitView(
      h,
      modal,
      MANAGER,
      approvalAnswers(modal, { contact: jane, overrideReason }),
    );
    expect(res.text).toBe('');
    expect(await requestStatus(h, second)).toBe('awaiting_owner');
    const ask = await h.db('reference_asks').where({ request_id: second }).first();
    expect(ask.override_reason).toBe('Only CFO in healthcare; she offered');
    const history = await h
      .db('request_history')
      .where({ request_id: second, to_status: 'awaiting_owner' })
      .first();
    expect(history.reason).toMatch(
      /^Override of the program rules \(.*already has an open ask.*\): Only CFO/,
    );
  });

  it('asks for an override reason before approving a contact who never agreed to the activity', async () => {
    const jane = await contactId(h, 'jane@acme.example');
    const id = await createRequest(h, { activity: 'site_visit' });
    const refused = await submitApproval(h, id, jane);
    expect((refused.json().errors as Record<string, string>).contact).toMatch(
      /has not agreed to a site visit\. To approve anyway, give an override reason/,
    );
    expect(await requestStatus(h, id)).toBe('submitted');
  });

  it('shows an error on the contact block the form has, also after Choose renamed it', async () => {
    const jane = await contactId(h, 'jane@acme.example');
    const first = await createRequest(h);
    await submitApproval(h, first, jane);
    const second = await createRequest(h, { prospect: 'Second Prospect' });
    const modal = await openDecision(h, 'approve', second);
    // "Choose" on a top match sets the contact itself, so the modal's contact block becomes `contact~1`...
    const top = modal.blocks.find((b) => b.accessory?.action_id === 'choose_contact')?.accessory?.value;
    await clickInView(h, modal, MANAGER, { actionId: 'choose_contact', value: top });
    const chosen = await h.slack.waitFor(
      () => h.slack.callsTo('views.update').length === 1 && updatedView(h.slack, modal),
    );
    expect(chosen.blocks.map((b) => b.block_id)).toContain('contact~1');
    // ...where the manager then picks Jane, who is over the limits.
    const res = await submitView(h, chosen, MANAGER, approvalAnswers(chosen, { contact: jane }));
    const errors = res.json().errors as Record<string, string>;
    expect(Object.keys(errors)).toEqual(['contact~1']);
    expect(errors['contact~1']).toContain('override reason');
    expect(await requestStatus(h, second)).toBe('submitted');
  });

  it('no longer suggests a contact once over the limits', async () => {
    const kim = await contactId(h, 'kim@globex.example');
    const first = await createRequest(h, { industry: 'Manufacturing' });
    await submitApproval(h, first, kim);
    await h.settled();
    await createRequest(h, { industry: 'Manufacturing' });
    const card = textOf(h.slack.messagesTo(MANAGERS_CHANNEL).at(-1));
    expect(card).toContain('Top matches');
    expect(card).not.toContain('*Kim Lee*');
  });
  it('tells the rep privately when matches cannot be shown, but not when they changed the form meanwhile', async () => {
    const form = await openRequestForm(h);
    const find = () => clickInView(h, form, REP, { actionId: 'find_matches' }, requestAnswers(form));
    h.slack.failNext('views.update', 1, { body: { ok: false, error: 'hash_conflict' } });
    await find();
    await h.slack.waitFor(() => h.slack.callsTo('views.update').length === 1);
    h.slack.failNext('views.update', 1, { body: { ok: false, error: 'internal_error' } });
    await find();
    const dm = await h.slack.waitFor(() => h.slack.messagesTo(REP)[0]);
    expect(textOf(dm)).toContain('Sorry, something went wrong while showing matches');
    expect(h.slack.messagesTo(REP)).toHaveLength(1);
  });

  it('tells a non-manager privately that they cannot choose a contact in the approve form', async () => {
    const id = await createRequest(h);
    const dms = h.slack.messagesTo('U0STRANGER').length;
    // A manager's approve modal, the click made as someone else.
    const modal = await openDecision(h, 'approve', id);
    const kim = await contactId(h, 'kim@globex.example');
    await clickInView(h, modal, 'U0STRANGER', {
      actionId: 'choose_contact',
      value: JSON.stringify({ contactId: kim }),
    });
    const dm = await h.slack.waitFor(() => h.slack.messagesTo('U0STRANGER')[dms]);
    expect(textOf(dm)).toMatch(/reference manager/i);
    expect(h.slack.callsTo('views.update')).toHaveLength(0);
  });
  it("counts the card's recent asks over RULES_WINDOW_DAYS", async () => {
    await Harness.run({ env: { RULES_WINDOW_DAYS: '30' } }, async (other) => {
      await createRequest(other, { preferredContactId: String(await contactId(other, 'jane@acme.example')) });
      const card = other.slack.messagesTo(MANAGERS_CHANNEL)[0];
      expect(textOf(card)).toContain('Asked 0 times in the last 30 days');
    });
  });
  it('refreshes the other cards that suggest a contact once that contact is approved elsewhere', async () => {
    const first = await createRequest(h);
    await createRequest(h, { prospect: 'Second Prospect' });
    const secondCard = () =>
      textOf(h.slack.currentMessages(MANAGERS_CHANNEL).find((m) => textOf(m).includes('Second Prospect')));
    expect(secondCard()).toContain('Jane Doe');
    await submitApproval(h, first, await contactId(h, 'jane@acme.example'));
    await h.settled();
    // Jane now has an open ask: the other card no longer suggests her.
    expect(secondCard()).not.toContain('Jane Doe');
    expect(secondCard()).toContain('Raj Patel');
  });
});
