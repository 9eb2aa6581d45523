import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS, RECRUIT_FIELDS, VIEWS } from '../../src/slack/ids.ts';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import {
  clickButton,
  MANAGER,
  modalOpenedBy,
  OWNER,
  REP,
  responsesAt,
  submitView,
  textOf,
} from '../support/journey.ts';

const GLOBEX_OWNER = 'U0OWNER2';

/** From a coverage gap, managers ask the account owners of the segment to nominate the references it needs. */
describe('recruiting drives', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  afterAll(() => h.stop());

  /** Open Analytics deals: Acme Health (U0OWNER1) and Globex (U0OWNER2) both use Analytics. */
  async function pipeline(): Promise<void> {
    const at = new Date().toISOString();
    for (const [id, amount] of [
      ['OPP-1', 1_000_000],
      ['OPP-2', 2_000_000],
    ] as const) {
      const [row] = (await h
        .db('opportunities')
        .insert({
          opportunity_id: id,
          amount,
          currency: 'USD',
          status: 'open',
          created_on: at.slice(0, 10),
          industry: 'Logistics',
          region: 'LATAM',
          company_size: '50-249',
          created_at: at,
          updated_at: at,
        })
        .returning('id')) as { id: number }[];
      await h.db('opportunity_products').insert({ opportunity_id: row!.id, product: 'Analytics' });
    }
  }

  /**
   * Recruit on the gap of `segment` (the button the gaps modal shows on each line, here in a message:
   * the form then opens instead of being pushed).
   */
  async function recruitForm(segment: Record<string, string>, user = MANAGER) {
    return clickButton(h, {
      user,
      actionId: ACTIONS.recruit,
      value: { segment, amount: 3_000_000, count: 2, currency: 'USD' },
      channel: MANAGERS_CHANNEL,
    });
  }

  const answers = (wanted: string) => ({
    [RECRUIT_FIELDS.wanted.block]: { [RECRUIT_FIELDS.wanted.action]: wanted },
  });

  it('asks every owner of the segment once, counts their answers and the nominations on the drive card', async () => {
    await pipeline();
    const form = await modalOpenedBy(h, await recruitForm({ product: 'Analytics' }));
    expect(form.callback_id).toBe(VIEWS.recruit);
    const started = await submitView(h, form, MANAGER, answers('2'));
    expect(started.json(), JSON.stringify(started.json())).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(started.json())).toContain('asking 2 account owners');
    await h.settled();

    // The drive's card as it reads now: posted once, then updated in place.
    const card = () => {
      const updated = h.slack
        .callsTo('chat.update')
        .filter((c) => c.params.channel === MANAGERS_CHANNEL && textOf(c.params).includes('DRIVE-1'));
      if (updated.length > 0) return textOf(updated.at(-1)!.params);
      return textOf(h.slack.messagesTo(MANAGERS_CHANNEL).find((m) => textOf(m).includes('DRIVE-1'))!);
    };
    expect(card()).toContain(
      'is recruiting 2 references in *Analytics* for USD 3M of open pipeline in 2 deals',
    );
    expect(card()).toContain('Owners asked: *2* · answered: *0*');
    const dm = textOf(h.slack.messagesTo(OWNER).at(-1));
    expect(dm).toContain('Acme Health');
    expect(dm).toContain('Nominate a contact');
    expect(textOf(h.slack.messagesTo(GLOBEX_OWNER).at(-1))).toContain('Globex');

    // Globex's owner: no one fits; a second click changes nothing.
    const noFit = () =>
      clickButton(h, {
        user: GLOBEX_OWNER,
        actionId: ACTIONS.recruitNoOneFits,
        value: { driveId: 1 },
        channel: `D${GLOBEX_OWNER.slice(1)}`,
      });
    await noFit();
    await h.settled();
    const again = (await noFit()).responseUrl;
    const [told] = await h.slack.waitFor(() => responsesAt(h, again).length > 0 && responsesAt(h, again));
    expect(textOf(told)).toMatch(/already answered DRIVE-1/);

    // Acme's owner nominates from the DM: the form starts from their account and the segment.
    const nominate = await clickButton(h, {
      user: OWNER,
      actionId: ACTIONS.recruitNominate,
      value: { driveId: 1 },
      channel: `D${OWNER.slice(1)}`,
    });
    const nominationForm = await modalOpenedBy(h, nominate);
    const initial = (block: string) =>
      (nominationForm.blocks.find((b) => b.block_id === block) as { element?: { initial_value?: string } })
        ?.element?.initial_value;
    expect(initial('account')).toBe('Acme Health');
    expect(initial('products')).toContain('Analytics');
    const sent = await submitView(h, nominationForm, OWNER, {
      contact_name: { contact_name_input: 'Nina New' },
      contact_email: { contact_email_input: 'nina@acme.example' },
      why: { why_input: 'Ran the Analytics rollout' },
    });
    expect(sent.json()).toMatchObject({ response_action: 'update' });
    await h.settled();
    expect(await h.db('nominations').where({ drive_id: 1 })).toHaveLength(1);
    expect(card()).toContain(
      'Owners asked: *2* · answered: *2* (1 said no one fits) · nominations: *1*, accepted: *0*',
    );
    // Both DMs lost their buttons.
    const updates = h.slack.callsTo('chat.update').map((c) => textOf(c.params));
    expect(updates.some((t) => t.includes('You nominated a contact'))).toBe(true);
    expect(updates.some((t) => t.includes('You said no one fits'))).toBe(true);

    // The managers accept it: the card counts it.
    const nomination = (await h.db('nominations').where({ drive_id: 1 }).first()) as { id: number };
    const accept = await clickButton(h, {
      user: MANAGER,
      actionId: ACTIONS.acceptNomination,
      value: { nominationId: nomination.id },
      channel: MANAGERS_CHANNEL,
      blockId: 'nomination',
    });
    expect((await submitView(h, await modalOpenedBy(h, accept), MANAGER, {})).text).toBe('');
    await h.settled();
    expect(card()).toContain('nominations: *1*, accepted: *1*');

    // The card's thread tells the story, each note with the figures as they were then.
    const posts = h.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.succeeded && c.params.channel === MANAGERS_CHANNEL);
    const cardTs = (
      posts.find((c) => !c.params.thread_ts && textOf(c.params).includes('DRIVE-1'))!.response as {
        ts: string;
      }
    ).ts;
    const thread = posts
      .filter((c) => c.params.thread_ts === cardTs)
      .map((c) => c.params)
      .map((m) => textOf(m));
    expect(thread, JSON.stringify(thread)).toHaveLength(3);
    expect(thread[0]).toContain(`<@${GLOBEX_OWNER}> says no one fits.`);
    expect(thread[0]).toContain('answered: *1* (1 said no one fits) · nominations: *0*');
    expect(thread[1]).toContain(`<@${OWNER}> nominated *Nina New* · Acme Health.`);
    expect(thread[1]).toContain('answered: *2* (1 said no one fits) · nominations: *1*, accepted: *0*');
    expect(thread[2]).toContain(
      `The nomination of *Nina New* · Acme Health from <@${OWNER}> was accepted by <@${MANAGER}>.`,
    );
    expect(thread[2]).toContain('nominations: *1*, accepted: *1*');

    // Nobody is asked twice within 30 days: a second drive in the segment is refused.
    const secondForm = await modalOpenedBy(h, await recruitForm({ product: 'Analytics' }));
    const refused = await submitView(h, secondForm, MANAGER, answers('1'));
    expect(refused.json()).toMatchObject({
      response_action: 'errors',
      errors: { [RECRUIT_FIELDS.industry.block]: expect.stringMatching(/asked in the last 30 days/) },
    });
    expect(await h.db('recruiting_drives')).toHaveLength(1);

    // Closing: managers only, once; the card says so and nobody can answer any more.
    const close = (user: string) =>
      clickButton(h, {
        user,
        actionId: ACTIONS.closeDrive,
        value: { driveId: 1 },
        channel: MANAGERS_CHANNEL,
      });
    const replyTo = async (click: Promise<{ responseUrl: string }>) => {
      const { responseUrl } = await click;
      const [reply] = await h.slack.waitFor(
        () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
      );
      return textOf(reply);
    };
    expect(await replyTo(close(REP))).toMatch(/Recruiting drives are for reference managers/);
    await close(MANAGER);
    await h.settled();
    expect(card()).toContain('Closed ');
    expect(card()).not.toContain('Close drive');
    expect(await replyTo(close(MANAGER))).toMatch(/DRIVE-1 is already closed/);
    const late = clickButton(h, {
      user: OWNER,
      actionId: ACTIONS.recruitNominate,
      value: { driveId: 1 },
      channel: `D${OWNER.slice(1)}`,
    });
    expect(await replyTo(late)).toMatch(/DRIVE-1 is closed/);
  });

  it('lets only managers start a drive, and only the owners asked answer it', async () => {
    await pipeline();
    const { responseUrl } = await recruitForm({ product: 'Analytics' }, REP);
    const [refused] = await h.slack.waitFor(
      () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
    );
    expect(textOf(refused)).toMatch(/Recruiting drives are for reference managers/);
    expect(h.slack.callsTo('views.open')).toHaveLength(0);

    const stranger = await clickButton(h, {
      user: REP,
      actionId: ACTIONS.recruitNominate,
      value: { driveId: 99 },
      channel: `D${REP.slice(1)}`,
    });
    const [told] = await h.slack.waitFor(
      () => responsesAt(h, stranger.responseUrl).length > 0 && responsesAt(h, stranger.responseUrl),
    );
    expect(textOf(told)).toMatch(/did not ask you/);
  });
});
