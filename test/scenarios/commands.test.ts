import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import {
  cardRef,
  clickOwnerAnswer,
  contactId,
  createRequest,
  currentAskId,
  OWNER,
  openRequestForm,
  REP,
  requestStatus,
  responsesAt,
  submitApproval,
  textOf,
} from '../support/journey.ts';
import { suggestionIn } from '../support/views.ts';

describe('/reference sub-commands and the contact typeahead', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  afterAll(() => h.stop());

  async function run(text: string, user = REP) {
    const responseUrl = h.nextResponseUrl();
    const res = await h.client.command({
      user_id: user,
      text,
      response_url: responseUrl,
      trigger_id: 'trig',
    });
    expect(res.status).toBe(200);
    const acked = res.text ? res.json() : null;
    if (acked && Object.keys(acked).length > 0) return acked;
    const [reply] = await h.slack.waitFor(
      () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
    );
    return reply!;
  }

  it('explains the commands on help, and on an unknown sub-command instead of staying silent', async () => {
    const help = await run('help');
    expect(help.response_type).toBe('ephemeral');
    expect(textOf(help)).toContain('/reference status');
    const unknown = await run('frobnicate <!channel>');
    expect(unknown.response_type).toBe('ephemeral');
    expect(textOf(unknown)).toMatch(/I don't know `frobnicate`/);
    expect(textOf(unknown)).toContain('/reference cancel REF-12');
  });

  it('lists the caller’s asks with id, prospect, contact, status and next step', async () => {
    const empty = await run('status');
    expect(textOf(empty)).toMatch(/no reference asks yet/);
    const first = await createRequest(h, { prospect: 'First Prospect' });
    const second = await createRequest(h, { prospect: 'Second Prospect' });
    await createRequest(h, { prospect: 'Someone else’s' }, 'U0OTHER');
    await submitApproval(h, second, await contactId(h, 'jane@acme.example'));
    await h.settled();

    const status = await run('status');
    expect(status.response_type).toBe('ephemeral');
    const text = textOf(status);
    expect(text).toContain(`REF-${first}`);
    expect(text).toContain('First Prospect');
    expect(text).toContain(`REF-${second}`);
    expect(text).toContain('Jane Doe');
    expect(text).toContain('waiting for the account owner');
    expect(text).toContain('The account owner asks the contact');
    expect(text).not.toContain('Someone else');
    expect(text).not.toContain('jane@acme.example');
  });

  it('cancels an ask that is not finished, updates the card and tells the owner when already asked', async () => {
    const id = await createRequest(h);
    await submitApproval(h, id, await contactId(h, 'jane@acme.example'));
    await h.settled();
    const reply = await run(`cancel ref-${id}`);
    expect(textOf(reply)).toMatch(/is cancelled/);
    await h.settled();
    expect(await requestStatus(h, id)).toBe('cancelled');
    const card = await cardRef(h, id);
    const lastCard = h.slack
      .callsTo('chat.update')
      .filter((c) => c.params.ts === card.ts)
      .at(-1);
    expect(textOf(lastCard?.params)).toMatch(/cancelled by <@U0REP1>/);
    expect(textOf(h.slack.messagesTo(OWNER).at(-1))).toMatch(/no need to ask Jane Doe/);
    const nudgeClosed = h.slack.callsTo('chat.update').find((c) => String(c.params.channel).startsWith('D'));
    expect(textOf(nudgeClosed?.params)).not.toContain('owner_agreed');

    // The owner's buttons no longer work, and a finished ask cannot be cancelled again.
    const late = await clickOwnerAnswer(h, await currentAskId(h, id), 'agreed');
    const [told] = await h.slack.waitFor(
      () => responsesAt(h, late.responseUrl).length > 0 && responsesAt(h, late.responseUrl),
    );
    expect(textOf(told)).toMatch(/cancelled/);
    expect(textOf(await run(`cancel REF-${id}`))).toMatch(/cancelled by/);
  });

  it('cancels a submitted ask without bothering any owner', async () => {
    const id = await createRequest(h);
    await run(`cancel REF-${id}`);
    await h.settled();
    expect(await requestStatus(h, id)).toBe('cancelled');
    expect(h.slack.messagesTo(OWNER)).toHaveLength(0);
  });

  it('refuses to cancel somebody else’s ask, an unknown one, or one without an id', async () => {
    const id = await createRequest(h);
    expect(textOf(await run(`cancel REF-${id}`, 'U0OTHER'))).toMatch(/not yours/);
    expect(textOf(await run('cancel REF-999'))).toMatch(/no request REF-999/);
    expect(textOf(await run('cancel'))).toMatch(/which ask/);
    expect(await requestStatus(h, id)).toBe('submitted');
  });

  it('offers active contacts by person or account name in the typeahead', async () => {
    const form = await openRequestForm(h);
    const ask = (value: string) =>
      h.client
        .interaction(suggestionIn(form, REP, 'contact_select', value))
        .then((r) =>
          (r.json().options as { text: { text: string }; value: string }[]).map((o) => o.text.text),
        );
    expect(await ask('')).toEqual([
      'Jane Doe, Acme Health · CFO',
      'Kim Lee, Globex · VP Operations',
      'Raj Patel, Acme Health · Director of IT',
    ]);
    expect(await ask('acme')).toEqual([
      'Jane Doe, Acme Health · CFO',
      'Raj Patel, Acme Health · Director of IT',
    ]);
    expect(await ask('KIM')).toEqual(['Kim Lee, Globex · VP Operations']);
    expect(await ask('pat')).toEqual(['Raj Patel, Acme Health · Director of IT']); // Pat Quiet is paused
    expect(await ask('100%_')).toEqual([]);
  });

  it('answers the managers’ channel card with the preferred contact and their recent asks', async () => {
    const jane = await contactId(h, 'jane@acme.example');
    const first = await createRequest(h, { preferredContactId: String(jane) });
    await submitApproval(h, first, jane);
    await createRequest(h, { preferredContactId: String(jane) });
    const card = h.slack.messagesTo(MANAGERS_CHANNEL).at(-1);
    expect(textOf(card)).toMatch(/Jane Doe\*, CFO · Acme Health/);
    expect(textOf(card)).toMatch(/Asked once in the last 90 days/);
  });
});
