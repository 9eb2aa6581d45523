import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VIEWS } from '../../src/slack/ids.ts';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import {
  contactId,
  createRequest,
  lastView,
  MANAGER,
  REP,
  responsesAt,
  textOf,
  viewAction,
} from '../support/journey.ts';
import { blockAction, viewSubmission } from '../support/signed-client.ts';

type Values = Record<string, Record<string, unknown>>;

const text = (column: string, value: string | null) => ({
  [column]: { [`${column}_input`]: { type: 'plain_text_input', value } },
});

/** The contact form's state, as Slack sends it, from CSV-like columns. */
function contactValues(row: Record<string, string | null>, extra: Values = {}): Values {
  const values: Values = {};
  for (const [column, value] of Object.entries(row)) {
    if (column === 'owner') values.owner = { owner_input: { type: 'users_select', selected_user: value } };
    else if (column === 'seniority')
      values.seniority = {
        seniority_input: { type: 'static_select', selected_option: value ? { value } : null },
      };
    else if (column === 'activities')
      values.activities = {
        activities_input: {
          type: 'checkboxes',
          selected_options: (value ?? '')
            .split(';')
            .filter(Boolean)
            .map((v) => ({ value: v })),
        },
      };
    else if (column === 'customer_since')
      values.customer_since = { customer_since_input: { type: 'datepicker', selected_date: value } };
    else Object.assign(values, text(column, value));
  }
  return { ...values, ...extra };
}

const NEW_CONTACT = {
  account: 'Initech',
  account_id: 'SF-003',
  industry: 'Software',
  region: 'EMEA',
  company_size: '100-999',
  products: 'Analytics; Billing',
  owner: 'U0OWNER3',
  contact_name: 'Peter Gibbons',
  contact_email: 'Peter@Initech.example',
  title: 'VP Engineering',
  seniority: 'vp',
  activities: 'reference_call;quote',
  customer_since: '2020-05-01',
  notes: null,
};

describe('managing the directory from Slack', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  afterAll(() => h.stop());

  const submitForm = (user: string, meta: object, values: Values) =>
    h.client.interaction(
      viewSubmission({ user, callbackId: VIEWS.contactForm, privateMetadata: JSON.stringify(meta), values }),
    );
  /** A manager's click on a contact page's button. */
  const clickOnPage = (actionId: string, contactId: number) => {
    const meta = JSON.stringify({ contactId });
    return viewAction(h, {
      user: MANAGER,
      callbackId: VIEWS.contactPage,
      actionId,
      value: meta,
      privateMetadata: meta,
    });
  };
  const submitPause = (user: string, contactId: number, until: string, reason: string) =>
    h.client.interaction(
      viewSubmission({
        user,
        callbackId: VIEWS.pauseContact,
        privateMetadata: JSON.stringify({ contactId }),
        values: {
          until: { until_date: { type: 'datepicker', selected_date: until } },
          reason: { reason_input: { type: 'plain_text_input', value: reason } },
        },
      }),
    );

  it('refreshes an undecided card when a contact it suggests is paused or retired', async () => {
    await createRequest(h, { prospect: 'Card Prospect' });
    const card = () =>
      textOf(h.slack.currentMessages(MANAGERS_CHANNEL).find((m) => textOf(m).includes('Card Prospect')));
    expect(card()).toContain('Jane Doe');
    expect(card()).toContain('Raj Patel');
    await submitPause(MANAGER, await contactId(h, 'jane@acme.example'), '2099-01-01', 'Renewal in progress');
    await h.settled();
    expect(card()).not.toContain('Jane Doe');
    await clickOnPage('retire_contact', await contactId(h, 'raj@acme.example'));
    await h.slack.waitFor(() => !card().includes('Raj Patel'));
  });

  it('lets only managers open /reference contacts', async () => {
    const responseUrl = h.nextResponseUrl();
    await h.client.command({ user_id: REP, text: 'contacts', response_url: responseUrl, trigger_id: 't' });
    const [reply] = await h.slack.waitFor(
      () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
    );
    expect(textOf(reply)).toMatch(/Only reference managers/);
    await h.client.command({
      user_id: MANAGER,
      text: 'contacts',
      response_url: h.nextResponseUrl(),
      trigger_id: 't2',
    });
    const opened = await h.slack.waitFor(() => h.slack.callsTo('views.open')[0]);
    // The fake answers like Slack: a modal it would refuse (e.g. inputs but no submit) does not open.
    expect(opened.succeeded).toBe(true);
    expect(opened.params.view).toMatchObject({ callback_id: VIEWS.contactsHome });
  });

  it('closes /reference contacts on "Done", with or without a contact picked', async () => {
    const jane = await contactId(h, 'jane@acme.example');
    for (const picked of [{}, { selected_option: { value: String(jane) } }]) {
      const done = await h.client.interaction(
        viewSubmission({
          user: MANAGER,
          callbackId: VIEWS.contactsHome,
          values: { search: { directory_search: { type: 'external_select', ...picked } } },
        }),
      );
      expect(done.status).toBe(200);
      expect(done.text).toBe('');
    }
    expect(h.slack.calls.filter((c) => c.method.startsWith('views.'))).toEqual([]);
  });

  const searchDirectory = (user: string, value: string) =>
    h.client.interaction({
      type: 'block_suggestion',
      user: { id: user },
      team: { id: 'T0123' },
      action_id: 'directory_search',
      block_id: 'search',
      value,
      view: {
        id: 'V1',
        type: 'modal',
        callback_id: VIEWS.contactsHome,
        private_metadata: '',
        state: { values: {} },
      },
    });

  it('answers the directory search only for managers', async () => {
    const res = await searchDirectory(REP, 'pat');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ options: [] });
    expect((await searchDirectory(MANAGER, 'pat')).json().options).toHaveLength(2);
  });

  it('finds a contact (paused ones too) and shows their profile, usage and asks', async () => {
    // The directory typeahead lists every contact with their status.
    const res = await searchDirectory(MANAGER, 'pat');
    expect((res.json().options as { text: { text: string } }[]).map((o) => o.text.text)).toEqual([
      'Pat Quiet, Globex (paused)',
      'Raj Patel, Acme Health',
    ]);
    const jane = await contactId(h, 'jane@acme.example');
    await viewAction(h, {
      user: MANAGER,
      callbackId: VIEWS.contactsHome,
      actionId: 'directory_search',
      selected: String(jane),
    });
    const page = await h.slack.waitFor(() => lastView(h, 'views.push'));
    const shown = textOf(page as unknown as Record<string, unknown>);
    expect(page.callback_id).toBe(VIEWS.contactPage);
    expect(shown).toContain('*Jane Doe*, CFO · Acme Health');
    expect(shown).toContain('jane@acme.example');
    expect(shown).toContain('Asked 0 times in the last 90 days');
    expect(shown).toContain('pause_contact');
  });

  it('pauses a contact until a date with a reason, then resumes them; paused contacts are not suggested', async () => {
    const kim = await contactId(h, 'kim@globex.example');
    const bad = await submitPause(MANAGER, kim, '2020-01-01', '');
    expect(bad.json()).toMatchObject({
      response_action: 'errors',
      errors: { until: expect.any(String), reason: expect.any(String) },
    });

    const paused = await submitPause(MANAGER, kim, '2099-01-31', 'Open P1 ticket');
    expect(paused.json()).toMatchObject({ response_action: 'update' });
    expect(textOf(paused.json().view as Record<string, unknown>)).toContain(
      'Paused until Sat 31 Jan 2099: Open P1 ticket',
    );
    expect(await h.db('contacts').where({ id: kim }).first()).toMatchObject({
      status: 'paused',
      paused_until: '2099-01-31',
      pause_reason: 'Open P1 ticket',
    });

    await viewAction(h, {
      user: REP,
      callbackId: VIEWS.request,
      actionId: 'find_matches',
      privateMetadata: '{"v":0}',
      values: (await import('../support/journey.ts')).requestValues({ industry: 'Manufacturing' }),
    });
    const update = await h.slack.waitFor(() => h.slack.callsTo('views.update')[0]);
    expect(textOf(update.params.view as Record<string, unknown>)).not.toContain('Kim Lee');

    await clickOnPage('resume_contact', kim);
    await h.slack.waitFor(() => h.slack.callsTo('views.update').length === 2);
    expect(await h.db('contacts').where({ id: kim }).first()).toMatchObject({
      status: 'active',
      paused_until: null,
      pause_reason: null,
    });

    await clickOnPage('retire_contact', kim);
    await h.slack.waitFor(() => h.slack.callsTo('views.update').length === 3);
    expect((await h.db('contacts').where({ id: kim }).first()).status).toBe('retired');
  });

  it('refuses to pause a retired contact, says why, and changes nothing', async () => {
    const kim = await contactId(h, 'kim@globex.example');
    await clickOnPage('retire_contact', kim);
    await h.slack.waitFor(() => h.slack.callsTo('views.update').length === 1);
    const before = await h.db('contacts').where({ id: kim }).first();
    expect(before).toMatchObject({ status: 'retired', paused_until: null, pause_reason: null });

    // E.g. from a page opened before somebody else retired them.
    const res = await submitPause(MANAGER, kim, '2099-01-31', 'Open P1 ticket');
    expect(res.json()).toMatchObject({
      response_action: 'update',
      view: { title: { text: 'Nothing changed' } },
    });
    expect(textOf(res.json().view as Record<string, unknown>)).toContain(
      'Kim Lee is retired, so they cannot be paused. Make them active again first.',
    );
    expect(await h.db('contacts').where({ id: kim }).first()).toEqual(before);

    // The Pause button of such a page opens no form either: the manager is told why, privately.
    const pushes = h.slack.callsTo('views.push').length;
    await clickOnPage('pause_contact', kim);
    const dm = await h.slack.waitFor(() => h.slack.messagesTo(MANAGER).at(-1));
    expect(textOf(dm)).toContain('Kim Lee is retired, so they cannot be paused.');
    expect(h.slack.callsTo('views.push')).toHaveLength(pushes);
  });

  it('keeps a paused contact’s pause when their facts are edited', async () => {
    const kim = await contactId(h, 'kim@globex.example');
    await submitPause(MANAGER, kim, '2099-01-31', 'Open P1 ticket');
    const saved = await submitForm(
      MANAGER,
      { mode: 'edit', contactId: kim, nominationId: null },
      contactValues({
        ...NEW_CONTACT,
        account: 'Globex',
        account_id: 'SF-002',
        contact_email: 'kim@globex.example',
        title: 'COO',
      }),
    );
    expect(saved.json()).toMatchObject({ response_action: 'update' });
    expect(await h.db('contacts').where({ id: kim }).first()).toMatchObject({
      title: 'COO',
      status: 'paused',
      paused_until: '2099-01-31',
      pause_reason: 'Open P1 ticket',
    });
  });

  it('does nothing when a non-manager sends a crafted pause or edit', async () => {
    const kim = await contactId(h, 'kim@globex.example');
    const res = await submitPause(REP, kim, '2099-01-31', 'x');
    expect(JSON.stringify(res.json())).toMatch(/Only reference managers/);
    const edit = await submitForm(
      REP,
      { mode: 'edit', contactId: kim, nominationId: null },
      contactValues({ ...NEW_CONTACT }),
    );
    expect(JSON.stringify(edit.json())).toMatch(/Only reference managers/);
    expect((await h.db('contacts').where({ id: kim }).first()).status).toBe('active');
  });

  it('refuses a non-manager’s crafted directory clicks before opening anything, and says why privately', async () => {
    // From the directory modal there is no response_url: the explanation comes as a DM.
    await viewAction(h, { user: REP, callbackId: VIEWS.contactsHome, actionId: 'add_contact', value: '{}' });
    const [dm] = await h.slack.waitFor(() => h.slack.messagesTo(REP).length > 0 && h.slack.messagesTo(REP));
    expect(textOf(dm)).toMatch(/Only reference managers can manage the directory/);
    // From a message, it is ephemeral.
    const responseUrl = h.nextResponseUrl();
    const kim = await contactId(h, 'kim@globex.example');
    await h.client.interaction(
      blockAction({
        user: REP,
        actionId: 'edit_contact',
        value: JSON.stringify({ contactId: kim }),
        channel: 'C0GENERAL',
        responseUrl,
      }),
    );
    const [told] = await h.slack.waitFor(
      () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
    );
    expect(told).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(told)).toMatch(/Only reference managers can manage the directory/);
    expect(h.slack.calls.filter((c) => c.method.startsWith('views.'))).toEqual([]);
  });

  it('edits a contact with the import’s validation and saves nothing half-way', async () => {
    const raj = await contactId(h, 'raj@acme.example');
    await viewAction(h, {
      user: MANAGER,
      callbackId: VIEWS.contactPage,
      actionId: 'edit_contact',
      value: JSON.stringify({ contactId: raj }),
    });
    const form = await h.slack.waitFor(() => lastView(h, 'views.push'));
    expect(form.blocks.find((b) => b.block_id === 'contact_email')?.element?.initial_value).toBe(
      'raj@acme.example',
    );

    const row = {
      account: 'Acme Health',
      account_id: 'SF-001',
      industry: 'Healthcare',
      region: 'EMEA',
      company_size: '1000-4999',
      products: 'Analytics;Billing',
      owner: 'U0OWNER1',
      contact_name: 'Raj Patel',
      contact_email: 'raj@acme.example',
      title: 'CIO',
      seniority: 'c_level',
      activities: 'reference_call;quote;case_study',
      customer_since: '2022-01-15',
      notes: null,
    };
    const bad = await submitForm(
      MANAGER,
      { mode: 'edit', contactId: raj, nominationId: null },
      contactValues({ ...row, contact_email: 'jane@acme.example', seniority: null, owner: 'nobody' }),
    );
    expect(bad.json()).toMatchObject({
      response_action: 'errors',
      errors: { owner: expect.stringMatching(/Slack user id/) },
    });
    const taken = await submitForm(
      MANAGER,
      { mode: 'edit', contactId: raj, nominationId: null },
      contactValues({ ...row, contact_email: 'jane@acme.example' }),
    );
    expect(taken.json()).toMatchObject({
      response_action: 'errors',
      errors: { contact_email: expect.stringMatching(/Another contact/) },
    });
    expect((await h.db('contacts').where({ id: raj }).first()).title).toBe('Director of IT');

    const saved = await submitForm(
      MANAGER,
      { mode: 'edit', contactId: raj, nominationId: null },
      contactValues(row),
    );
    expect(saved.json()).toMatchObject({ response_action: 'update' });
    expect(await h.db('contacts').where({ id: raj }).first()).toMatchObject({
      title: 'CIO',
      seniority: 'c_level',
      status: 'active',
    });
    const activities = await h.db('contact_activities').where({ contact_id: raj }).orderBy('activity');
    expect(activities.map((a: { activity: string }) => a.activity)).toEqual([
      'case_study',
      'quote',
      'reference_call',
    ]);
  });

  it('adds a new contact and its account', async () => {
    await viewAction(h, {
      user: MANAGER,
      callbackId: VIEWS.contactsHome,
      actionId: 'add_contact',
      value: '{}',
    });
    const form = await h.slack.waitFor(() => lastView(h, 'views.push'));
    expect(form.callback_id).toBe(VIEWS.contactForm);
    const res = await submitForm(
      MANAGER,
      { mode: 'add', contactId: null, nominationId: null },
      contactValues(NEW_CONTACT),
    );
    expect(res.json()).toMatchObject({ response_action: 'update' });
    const contact = await h.db('contacts').where({ email: 'peter@initech.example' }).first();
    expect(contact).toMatchObject({ name: 'Peter Gibbons', status: 'active' });
    const again = await submitForm(
      MANAGER,
      { mode: 'add', contactId: null, nominationId: null },
      contactValues(NEW_CONTACT),
    );
    expect(again.json()).toMatchObject({
      response_action: 'errors',
      errors: { contact_email: expect.any(String) },
    });
  });

  it('takes a nomination from anyone; a manager accepts it after correcting a field', async () => {
    await h.client.command({
      user_id: 'U0CSM',
      text: 'nominate',
      response_url: h.nextResponseUrl(),
      trigger_id: 't',
    });
    const form = await h.slack.waitFor(() => lastView(h, 'views.open'));
    expect(form.blocks.some((b) => b.block_id === 'why')).toBe(true);
    const noWhy = await submitForm(
      'U0CSM',
      { mode: 'nominate', contactId: null, nominationId: null },
      contactValues(NEW_CONTACT),
    );
    expect(noWhy.json()).toMatchObject({ response_action: 'errors', errors: { why: expect.any(String) } });
    const sent = await submitForm(
      'U0CSM',
      { mode: 'nominate', contactId: null, nominationId: null },
      contactValues(NEW_CONTACT, {
        why: { why_input: { type: 'plain_text_input', value: 'Loves us <!channel>; cut costs 30%' } },
      }),
    );
    expect(sent.json()).toMatchObject({ response_action: 'update' });
    await h.settled();
    const card = h.slack.messagesTo(MANAGERS_CHANNEL).at(-1);
    expect(textOf(card)).toContain('nominates a reference');
    expect(textOf(card)).toContain('&lt;!channel&gt;');
    const nomination = await h.db('nominations').first();

    const click = (user: string, action: string) => {
      const responseUrl = h.nextResponseUrl();
      return h.client
        .interaction(
          blockAction({
            user,
            actionId: action,
            value: JSON.stringify({ nominationId: nomination.id }),
            channel: MANAGERS_CHANNEL,
            responseUrl,
            blockId: 'nomination',
          }),
        )
        .then(() => responseUrl);
    };
    const refused = await click(REP, 'accept_nomination');
    const [told] = await h.slack.waitFor(() => responsesAt(h, refused).length > 0 && responsesAt(h, refused));
    expect(textOf(told)).toMatch(/Only reference managers/);

    await click(MANAGER, 'accept_nomination');
    const acceptForm = await h.slack.waitFor(
      () => h.slack.callsTo('views.open').length === 2 && lastView(h, 'views.open'),
    );
    expect(acceptForm.blocks.find((b) => b.block_id === 'contact_email')?.element?.initial_value).toBe(
      'peter@initech.example',
    );
    const accepted = await submitForm(
      MANAGER,
      { mode: 'accept', contactId: null, nominationId: nomination.id },
      contactValues({ ...NEW_CONTACT, title: 'CTO' }),
    );
    expect(accepted.text).toBe('');
    await h.settled();
    expect(await h.db('contacts').where({ email: 'peter@initech.example' }).first()).toMatchObject({
      title: 'CTO',
      status: 'active',
    });
    expect((await h.db('nominations').first()).status).toBe('accepted');
    expect(textOf(h.slack.messagesTo('U0CSM').at(-1))).toMatch(/is now in the reference directory/);
    const cardUpdate = h.slack.callsTo('chat.update').at(-1);
    expect(textOf(cardUpdate?.params)).toMatch(/Accepted by <@U0RM1>/);

    const late = await click('U0RM2', 'decline_nomination');
    const [lateReply] = await h.slack.waitFor(() => responsesAt(h, late).length > 0 && responsesAt(h, late));
    expect(textOf(lateReply)).toMatch(/already accepted by <@U0RM1>/);
  });

  it('refuses a nomination whose account or reason is only invisible characters, and stores nothing', async () => {
    const res = await submitForm(
      'U0CSM',
      { mode: 'nominate', contactId: null, nominationId: null },
      contactValues(
        { ...NEW_CONTACT, account: '\u200b\u2060' },
        { why: { why_input: { type: 'plain_text_input', value: '\ufeff\u200b' } } },
      ),
    );
    expect(res.json()).toMatchObject({
      response_action: 'errors',
      errors: { account: expect.stringMatching(/required/), why: expect.any(String) },
    });
    expect(await h.db('nominations')).toEqual([]);
  });

  it('declines a nomination with a reason the nominator reads', async () => {
    await submitForm(
      'U0CSM',
      { mode: 'nominate', contactId: null, nominationId: null },
      contactValues(NEW_CONTACT, {
        why: { why_input: { type: 'plain_text_input', value: 'Great results' } },
      }),
    );
    await h.settled();
    const nomination = await h.db('nominations').first();
    const meta = JSON.stringify({ nominationId: nomination.id });
    const empty = await h.client.interaction(
      viewSubmission({
        user: MANAGER,
        callbackId: VIEWS.declineNomination,
        privateMetadata: meta,
        values: { reason: { reason_input: { type: 'plain_text_input', value: ' ' } } },
      }),
    );
    expect(empty.json()).toMatchObject({ response_action: 'errors' });
    const res = await h.client.interaction(
      viewSubmission({
        user: MANAGER,
        callbackId: VIEWS.declineNomination,
        privateMetadata: meta,
        values: {
          reason: { reason_input: { type: 'plain_text_input', value: 'Open escalation this quarter' } },
        },
      }),
    );
    expect(res.text).toBe('');
    await h.settled();
    expect((await h.db('nominations').first()).status).toBe('declined');
    expect(await h.db('contacts').where({ email: 'peter@initech.example' }).first()).toBeUndefined();
    expect(textOf(h.slack.messagesTo('U0CSM').at(-1))).toContain('Open escalation this quarter');
  });
});
