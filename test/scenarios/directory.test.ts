import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FORM_ACTION } from '../../src/slack/blocks/directory-views.ts';
import { DIRECTORY_SEARCH, VIEWS } from '../../src/slack/ids.ts';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import {
  clickButton,
  clickInView,
  contactId,
  createRequest,
  MANAGER,
  modalOpenedBy,
  openByCommand,
  openFromView,
  openRequestForm,
  REP,
  requestAnswers,
  responsesAt,
  submitView,
  textOf,
} from '../support/journey.ts';
import { type Answers, type ShownView, suggestionIn, updatedView, viewAfter } from '../support/views.ts';

/** The contact form filled in from CSV-like columns (activities separated by `;`), by its block and action ids. */
function contactAnswers(row: Record<string, string | null>, extra: Answers = {}): Answers {
  const answers: Answers = {};
  for (const [column, value] of Object.entries(row)) {
    const answer = column === 'activities' ? (value ?? '').split(';').filter(Boolean) : value;
    answers[column] = { [FORM_ACTION(column)]: answer };
  }
  return { ...answers, ...extra };
}

const why = (text: string): Answers => ({ why: { why_input: text } });

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

  const openDirectory = (user = MANAGER) => openByCommand(h, user, 'contacts');
  /** A manager finds a contact in `/reference contacts` and opens their page. */
  const openPage = async (contactId: number, user = MANAGER) =>
    openFromView(h, await openDirectory(user), user, {
      actionId: DIRECTORY_SEARCH,
      selected: String(contactId),
    });
  /** A click on a page's button that changes the contact (retire, resume); resolves with the page after it. */
  async function clickOnPage(page: ShownView, actionId: string, user = MANAGER) {
    const updates = h.slack.callsTo('views.update').length;
    await clickInView(h, page, user, { actionId });
    await h.slack.waitFor(() => h.slack.callsTo('views.update').length > updates);
    return updatedView(h.slack, page);
  }
  /** The Pause button on a contact's page: the form it opens. */
  const openPause = async (contactId: number) =>
    openFromView(h, await openPage(contactId), MANAGER, { actionId: 'pause_contact' });
  const pauseAnswers = (until: string, reason: string): Answers => ({
    until: { until_date: until },
    reason: { reason_input: reason },
  });
  /** The Edit button on a contact's page: the form it opens, filled in as the contact is. */
  const openEdit = async (contactId: number) =>
    openFromView(h, await openPage(contactId), MANAGER, { actionId: 'edit_contact' });

  it('refreshes an undecided card when a contact it suggests is paused or retired', async () => {
    await createRequest(h, { prospect: 'Card Prospect' });
    const card = () =>
      textOf(h.slack.currentMessages(MANAGERS_CHANNEL).find((m) => textOf(m).includes('Card Prospect')));
    expect(card()).toContain('Jane Doe');
    expect(card()).toContain('Raj Patel');
    const pause = await openPause(await contactId(h, 'jane@acme.example'));
    await submitView(h, pause, MANAGER, pauseAnswers('2099-01-01', 'Renewal in progress'));
    await h.settled();
    expect(card()).not.toContain('Jane Doe');
    await clickOnPage(await openPage(await contactId(h, 'raj@acme.example')), 'retire_contact');
    await h.slack.waitFor(() => !card().includes('Raj Patel'));
  });

  it('lets only managers open /reference contacts', async () => {
    const responseUrl = h.nextResponseUrl();
    await h.client.command({ user_id: REP, text: 'contacts', response_url: responseUrl, trigger_id: 't' });
    const [reply] = await h.slack.waitFor(
      () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
    );
    expect(textOf(reply)).toMatch(/Only reference managers/);
    // The fake answers like Slack: a modal it would refuse (e.g. inputs but no submit) does not open.
    expect((await openDirectory()).callback_id).toBe(VIEWS.contactsHome);
  });

  it('closes /reference contacts on "Done", with or without a contact picked', async () => {
    const jane = await contactId(h, 'jane@acme.example');
    const home = await openDirectory();
    const views = h.slack.calls.filter((c) => c.method.startsWith('views.')).length;
    const picks: Answers[] = [{}, { search: { [DIRECTORY_SEARCH]: String(jane) } }];
    for (const picked of picks) {
      const done = await submitView(h, home, MANAGER, picked);
      expect(done.status).toBe(200);
      expect(done.text).toBe('');
    }
    await h.idle();
    expect(h.slack.calls.filter((c) => c.method.startsWith('views.'))).toHaveLength(views);
  });

  /** Typing into the directory's search: in a manager's `/reference contacts`, by `user`. */
  const searchDirectory = async (user: string, value: string) =>
    h.client.interaction(suggestionIn(await openDirectory(), user, DIRECTORY_SEARCH, value));

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
    const page = await openPage(await contactId(h, 'jane@acme.example'));
    const shown = textOf(page);
    expect(page.callback_id).toBe(VIEWS.contactPage);
    expect(shown).toContain('*Jane Doe*, CFO · Acme Health');
    expect(shown).toContain('jane@acme.example');
    expect(shown).toContain('Asked 0 times in the last 90 days');
    expect(shown).toContain('pause_contact');
  });

  it('pauses a contact until a date with a reason, then resumes them; paused contacts are not suggested', async () => {
    const kim = await contactId(h, 'kim@globex.example');
    const pause = await openPause(kim);
    const bad = await submitView(h, pause, MANAGER, pauseAnswers('2020-01-01', ''));
    expect(bad.json()).toMatchObject({
      response_action: 'errors',
      errors: { until: expect.any(String), reason: expect.any(String) },
    });

    const paused = await submitView(h, pause, MANAGER, pauseAnswers('2099-01-31', 'Open P1 ticket'));
    const page = viewAfter(pause, paused);
    expect(textOf(page)).toContain('Paused until Sat 31 Jan 2099: Open P1 ticket');
    expect(await h.db('contacts').where({ id: kim }).first()).toMatchObject({
      status: 'paused',
      paused_until: '2099-01-31',
      pause_reason: 'Open P1 ticket',
    });

    const form = await openRequestForm(h);
    await clickInView(
      h,
      form,
      REP,
      { actionId: 'find_matches' },
      requestAnswers(form, { industry: 'Manufacturing' }),
    );
    await h.slack.waitFor(() => updatedView(h.slack, form) !== form);
    expect(textOf(updatedView(h.slack, form))).not.toContain('Kim Lee');

    const resumed = await clickOnPage(page, 'resume_contact');
    expect(await h.db('contacts').where({ id: kim }).first()).toMatchObject({
      status: 'active',
      paused_until: null,
      pause_reason: null,
    });

    await clickOnPage(resumed, 'retire_contact');
    expect((await h.db('contacts').where({ id: kim }).first()).status).toBe('retired');
  });

  it('refuses to pause a retired contact, says why, and changes nothing', async () => {
    const kim = await contactId(h, 'kim@globex.example');
    // A page and its pause form, opened before another manager retired Kim.
    const page = await openPage(kim);
    const pause = await openFromView(h, page, MANAGER, { actionId: 'pause_contact' });
    await clickOnPage(await openPage(kim, 'U0RM2'), 'retire_contact', 'U0RM2');
    const before = await h.db('contacts').where({ id: kim }).first();
    expect(before).toMatchObject({ status: 'retired', paused_until: null, pause_reason: null });

    const res = await submitView(h, pause, MANAGER, pauseAnswers('2099-01-31', 'Open P1 ticket'));
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
    await clickInView(h, page, MANAGER, { actionId: 'pause_contact' });
    const dm = await h.slack.waitFor(() => h.slack.messagesTo(MANAGER).at(-1));
    expect(textOf(dm)).toContain('Kim Lee is retired, so they cannot be paused.');
    expect(h.slack.callsTo('views.push')).toHaveLength(pushes);
  });

  it('keeps a paused contact’s pause when their facts are edited', async () => {
    const kim = await contactId(h, 'kim@globex.example');
    await submitView(h, await openPause(kim), MANAGER, pauseAnswers('2099-01-31', 'Open P1 ticket'));
    const saved = await submitView(h, await openEdit(kim), MANAGER, { title: { title_input: 'COO' } });
    expect(saved.json()).toMatchObject({ response_action: 'update' });
    expect(await h.db('contacts').where({ id: kim }).first()).toMatchObject({
      title: 'COO',
      status: 'paused',
      paused_until: '2099-01-31',
      pause_reason: 'Open P1 ticket',
    });
  });

  it('does nothing when a non-manager sends a crafted pause or edit', async () => {
    // A manager's forms, submitted as a rep.
    const kim = await contactId(h, 'kim@globex.example');
    const res = await submitView(h, await openPause(kim), REP, pauseAnswers('2099-01-31', 'x'));
    expect(JSON.stringify(res.json())).toMatch(/Only reference managers/);
    const edit = await submitView(h, await openEdit(kim), REP, contactAnswers({ ...NEW_CONTACT }));
    expect(JSON.stringify(edit.json())).toMatch(/Only reference managers/);
    expect((await h.db('contacts').where({ id: kim }).first()).status).toBe('active');
  });

  it('refuses a non-manager’s crafted directory clicks before opening anything, and says why privately', async () => {
    // From the directory modal (a manager's, clicked as a rep) there is no response_url: the explanation comes as a DM.
    const home = await openDirectory();
    const views = h.slack.calls.filter((c) => c.method.startsWith('views.')).length;
    await clickInView(h, home, REP, { actionId: 'add_contact' });
    const [dm] = await h.slack.waitFor(() => h.slack.messagesTo(REP).length > 0 && h.slack.messagesTo(REP));
    expect(textOf(dm)).toMatch(/Only reference managers can manage the directory/);
    // From a message, it is ephemeral.
    const kim = await contactId(h, 'kim@globex.example');
    const { responseUrl } = await clickButton(h, {
      user: REP,
      actionId: 'edit_contact',
      value: { contactId: kim },
      channel: 'C0GENERAL',
    });
    const [told] = await h.slack.waitFor(
      () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
    );
    expect(told).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(told)).toMatch(/Only reference managers can manage the directory/);
    await h.idle();
    expect(h.slack.calls.filter((c) => c.method.startsWith('views.'))).toHaveLength(views);
  });

  it('edits a contact with the import’s validation and saves nothing half-way', async () => {
    const raj = await contactId(h, 'raj@acme.example');
    const form = await openEdit(raj);
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
    const bad = await submitView(
      h,
      form,
      MANAGER,
      contactAnswers({ ...row, contact_email: 'jane@acme.example', seniority: null, owner: 'nobody' }),
    );
    expect(bad.json()).toMatchObject({
      response_action: 'errors',
      errors: { owner: expect.stringMatching(/Slack user id/) },
    });
    const taken = await submitView(
      h,
      form,
      MANAGER,
      contactAnswers({ ...row, contact_email: 'jane@acme.example' }),
    );
    expect(taken.json()).toMatchObject({
      response_action: 'errors',
      errors: { contact_email: expect.stringMatching(/Another contact/) },
    });
    expect((await h.db('contacts').where({ id: raj }).first()).title).toBe('Director of IT');

    const saved = await submitView(h, form, MANAGER, contactAnswers(row));
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
    const openAdd = async () => openFromView(h, await openDirectory(), MANAGER, { actionId: 'add_contact' });
    const form = await openAdd();
    expect(form.callback_id).toBe(VIEWS.contactForm);
    const res = await submitView(h, form, MANAGER, contactAnswers(NEW_CONTACT));
    expect(res.json()).toMatchObject({ response_action: 'update' });
    const contact = await h.db('contacts').where({ email: 'peter@initech.example' }).first();
    expect(contact).toMatchObject({ name: 'Peter Gibbons', status: 'active' });
    const again = await submitView(h, await openAdd(), MANAGER, contactAnswers(NEW_CONTACT));
    expect(again.json()).toMatchObject({
      response_action: 'errors',
      errors: { contact_email: expect.any(String) },
    });
  });

  const openNomination = () => openByCommand(h, 'U0CSM', 'nominate');

  it('takes a nomination from anyone; a manager accepts it after correcting a field', async () => {
    const form = await openNomination();
    expect(form.blocks.some((b) => b.block_id === 'why')).toBe(true);
    const noWhy = await submitView(h, form, 'U0CSM', contactAnswers(NEW_CONTACT));
    expect(noWhy.json()).toMatchObject({ response_action: 'errors', errors: { why: expect.any(String) } });
    const sent = await submitView(
      h,
      form,
      'U0CSM',
      contactAnswers(NEW_CONTACT, why('Loves us <!channel>; cut costs 30%')),
    );
    expect(sent.json()).toMatchObject({ response_action: 'update' });
    await h.settled();
    const card = h.slack.messagesTo(MANAGERS_CHANNEL).at(-1);
    expect(textOf(card)).toContain('nominates a reference');
    expect(textOf(card)).toContain('&lt;!channel&gt;');
    const nomination = await h.db('nominations').first();

    const click = (user: string, actionId: string) =>
      clickButton(h, {
        user,
        actionId,
        value: { nominationId: nomination.id },
        channel: MANAGERS_CHANNEL,
        blockId: 'nomination',
      });
    const refused = (await click(REP, 'accept_nomination')).responseUrl;
    const [told] = await h.slack.waitFor(() => responsesAt(h, refused).length > 0 && responsesAt(h, refused));
    expect(textOf(told)).toMatch(/Only reference managers/);

    const acceptForm = await modalOpenedBy(h, await click(MANAGER, 'accept_nomination'));
    expect(acceptForm.blocks.find((b) => b.block_id === 'contact_email')?.element?.initial_value).toBe(
      'peter@initech.example',
    );
    const accepted = await submitView(h, acceptForm, MANAGER, { title: { title_input: 'CTO' } });
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

    const late = (await click('U0RM2', 'decline_nomination')).responseUrl;
    const [lateReply] = await h.slack.waitFor(() => responsesAt(h, late).length > 0 && responsesAt(h, late));
    expect(textOf(lateReply)).toMatch(/already accepted by <@U0RM1>/);
  });

  it('refuses a nomination whose account or reason is only invisible characters, and stores nothing', async () => {
    const res = await submitView(
      h,
      await openNomination(),
      'U0CSM',
      contactAnswers({ ...NEW_CONTACT, account: '\u200b\u2060' }, why('\ufeff\u200b')),
    );
    expect(res.json()).toMatchObject({
      response_action: 'errors',
      errors: { account: expect.stringMatching(/required/), why: expect.any(String) },
    });
    expect(await h.db('nominations')).toEqual([]);
  });

  it('declines a nomination with a reason the nominator reads', async () => {
    await submitView(h, await openNomination(), 'U0CSM', contactAnswers(NEW_CONTACT, why('Great results')));
    await h.settled();
    const nomination = await h.db('nominations').first();
    const decline = await modalOpenedBy(
      h,
      await clickButton(h, {
        user: MANAGER,
        actionId: 'decline_nomination',
        value: { nominationId: nomination.id },
        channel: MANAGERS_CHANNEL,
        blockId: 'nomination',
      }),
    );
    expect(decline.callback_id).toBe(VIEWS.declineNomination);
    const empty = await submitView(h, decline, MANAGER, { reason: { reason_input: ' ' } });
    expect(empty.json()).toMatchObject({ response_action: 'errors' });
    const res = await submitView(h, decline, MANAGER, {
      reason: { reason_input: 'Open escalation this quarter' },
    });
    expect(res.text).toBe('');
    await h.settled();
    expect((await h.db('nominations').first()).status).toBe('declined');
    expect(await h.db('contacts').where({ email: 'peter@initech.example' }).first()).toBeUndefined();
    expect(textOf(h.slack.messagesTo('U0CSM').at(-1))).toContain('Open escalation this quarter');
  });
});
