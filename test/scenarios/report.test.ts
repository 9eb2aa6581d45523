import { subDays } from 'date-fns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_FIELDS, VIEWS } from '../../src/slack/ids.ts';
import { Harness } from '../support/harness.ts';
import {
  clickOwnerAnswer,
  contactId,
  createRequest,
  currentAskId,
  inDays,
  MANAGER,
  mrkdwnOf,
  openByCommand,
  REP,
  responsesAt,
  submitApproval,
  submitDenial,
  submitView,
  textOf,
} from '../support/journey.ts';
import { nextTrigger } from '../support/signed-client.ts';
import { actionIn, type ShownView, updatedView, viewAfter } from '../support/views.ts';

const text = (view: ShownView) => mrkdwnOf({ blocks: view.blocks });

describe('the program report', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  afterAll(() => h.stop());

  /**
   * Two asks this month (one denied with a reason that needs escaping) and one 40 days ago, which
   * counts in the 30 days before the last 30.
   */
  async function history(): Promise<void> {
    const denied = await createRequest(h, { prospect: 'Initech' });
    await submitDenial(h, denied, 'Budget <freeze>');
    await createRequest(h, { prospect: 'Hooli' });
    const at = subDays(new Date(), 40).toISOString();
    await h.db('reference_requests').insert({
      requester_id: 'U0REP2',
      prospect: 'Old prospect',
      prospect_key: 'old prospect',
      activity: 'quote',
      needed_by: inDays(-35),
      context: 'Context',
      status: 'expired',
      created_at: at,
      updated_at: at,
    });
    await h.settled();
  }

  /** `/reference report` by a manager: the modal, once its figures are in. */
  async function openReport(user = MANAGER): Promise<ShownView> {
    const opened = await openByCommand(h, user, 'report');
    expect(opened.callback_id).toBe(VIEWS.report);
    return h.slack.waitFor(() => {
      const view = updatedView(h.slack, opened);
      return text(view).includes('Asks submitted') && view;
    });
  }

  /** A period picked in the modal: resolves with the modal once refdesk has updated it for good. */
  async function pickPeriod(view: ShownView, period: string): Promise<ShownView> {
    const click = actionIn(view, MANAGER, { actionId: REPORT_FIELDS.period.action, selected: period });
    expect((await h.client.interaction(click)).status).toBe(200);
    await h.idle();
    return updatedView(h.slack, view);
  }

  it('shows a manager the last 30 days against the 30 before', async () => {
    await history();
    const report = text(await openReport());
    expect(report).toContain('*Last 30 days*');
    expect(report).toContain('*Asks submitted:* *2* (before: 1)');
    expect(report).toContain('• Denied by managers: *1* (before: 0)');
    expect(report).toContain('• Still open: *1* (before: 0)');
    expect(report).toContain('• Expired: *0* (before: 1)');
    expect(report).toContain('Top reasons: “Budget &lt;freeze&gt;” (1)');
    expect(report).not.toContain('<freeze>');
    expect(report).toContain('1. <@U0REP1>: *2* (before: 0)');
    expect(report).toContain('Reference call: *2* (before: 0)');
    expect(report).toContain('*Submitted → decided:* *median');
    expect(report).toContain('Turnaround counts asks first approved or denied in the period');
    expect(report).toContain('*Open now, due within 72 hours:* *0*');
  });

  it('shows the win rate with vs without a held reference once a pipeline is loaded', async () => {
    await history();
    expect(text(await openReport())).not.toContain('Win rate');
    // A rep asks for a reference for OPP-1; the owner agrees and the rep reports it held.
    const id = await createRequest(h, { prospect: 'Initech', opportunity: 'OPP-1' });
    const jane = await contactId(h, 'jane@acme.example');
    await submitApproval(h, id, jane);
    await h.settled();
    const askId = await currentAskId(h, id);
    await clickOwnerAnswer(h, askId, 'agreed');
    await h.settled();
    const now = new Date().toISOString();
    await h.db('reference_outcomes').insert({
      request_id: id,
      ask_id: askId,
      contact_id: jane,
      happened: true,
      recorded_by: REP,
      recorded_at: now,
    });
    // The pipeline: OPP-1 won after 55 days, OPP-2 lost after 80, OPP-3 won over a year ago.
    const deal = (
      opportunityId: string,
      status: string,
      amount: number,
      created: number,
      closed: number,
    ) => ({
      opportunity_id: opportunityId,
      amount,
      currency: 'USD',
      status,
      created_on: inDays(created),
      close_date: inDays(closed),
      industry: 'Healthcare',
      created_at: now,
      updated_at: now,
    });
    await h
      .db('opportunities')
      .insert([
        deal('OPP-1', 'won', 120_000, -60, -5),
        deal('OPP-2', 'lost', 50_000, -90, -10),
        deal('OPP-3', 'won', 30_000, -420, -400),
      ]);
    const shown = await openReport();
    expect(JSON.stringify(shown.blocks)).toContain('Win rate with vs without a reference');
    const report = text(shown);
    expect(report).toContain(
      'With a held reference: *100%* won (1 of 1) · average won *USD 120,000* · median *55 days* to close (1) · _small sample_',
    );
    expect(report).toContain(
      'Without: *0%* won (0 of 1) · no won deal · median *80 days* to close (1) · _small sample_',
    );
    expect(report).toContain(
      '*Influenced revenue, from the pipeline:* *USD 120,000* in 1 won deal with a held reference',
    );
    expect(report).toContain('*Win rate by industry*\n*Healthcare* (2 closed)');
    expect(report).toContain('*Influenced revenue, as reported by reps:*');
  });

  it('tells anyone else privately that reports are for managers', async () => {
    const responseUrl = h.nextResponseUrl();
    await h.client.command({
      user_id: REP,
      text: 'report',
      response_url: responseUrl,
      trigger_id: nextTrigger(),
    });
    const [reply] = await h.slack.waitFor(
      () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
    );
    expect(reply?.response_type).toBe('ephemeral');
    expect(textOf(reply)).toMatch(/Program reports are for reference managers/);
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('lets the people of REPORT_VIEWERS see it too', async () => {
    await Harness.run({ env: { REPORT_VIEWERS: 'U0CRO, S0SALESLEAD' } }, async (other) => {
      other.slack.groups.S0SALESLEAD = ['U0VPSALES'];
      for (const user of ['U0CRO', 'U0VPSALES']) {
        const view = await openByCommand(other, user, 'report');
        expect(view.callback_id).toBe(VIEWS.report);
      }
    });
  });

  it('shows the figures of the period picked, or of two dates', async () => {
    await history();
    const year = await pickPeriod(await openReport(), 'last_365');
    expect(text(year)).toContain('*Last 365 days*');
    expect(text(year)).toContain('*Asks submitted:* *3* (before: 0)');
    // The pick first showed the modal working, then the figures, each update on the hash of the one before.
    const [working, figures] = h.slack.callsTo('views.update').slice(-2);
    expect(JSON.stringify(working?.params)).toContain('Working out the figures');
    const answered = working?.response as { view?: { hash?: string } } | undefined;
    expect(figures?.params.hash).toBe(answered?.view?.hash);
    expect(figures?.params.hash).toBeDefined();

    const dates = await pickPeriod(year, 'dates');
    expect(text(dates)).toContain('Pick the first and the last day');
    const from = inDays(-45);
    const to = inDays(-30);
    const updates = h.slack.callsTo('views.update').length;
    const shown = await submitView(h, dates, MANAGER, {
      [REPORT_FIELDS.from.block]: { [REPORT_FIELDS.from.action]: from },
      [REPORT_FIELDS.to.block]: { [REPORT_FIELDS.to.action]: to },
    });
    // The ack shows the modal working on the figures; they replace it once worked out.
    expect(text(viewAfter(dates, shown))).toContain('Working out the figures');
    await h.slack.waitFor(() => h.slack.callsTo('views.update').length > updates);
    const between = text(updatedView(h.slack, dates));
    expect(between).toContain('*Asks submitted:* *1* (before: 0)');
    expect(between).toContain('• Expired: *1* (before: 0)');

    const wrong = await submitView(h, dates, MANAGER, {
      [REPORT_FIELDS.from.block]: { [REPORT_FIELDS.from.action]: to },
      [REPORT_FIELDS.to.block]: { [REPORT_FIELDS.to.action]: from },
    });
    expect(wrong.json()).toEqual({
      response_action: 'errors',
      errors: { [REPORT_FIELDS.to.block]: 'Pick a date on or after the first one.' },
    });
  });

  it('narrows the figures to the filters picked and ranks teams by their reps', async () => {
    // Its own harness: the user groups (teams) are read from Slack once and kept a while.
    await Harness.run({}, async (other) => {
      other.slack.groups = { S0TEAMA: [REP], S0TEAMB: ['U0REP2', REP] };
      await createRequest(other, { prospect: 'Initech', products: ['Analytics'] });
      await createRequest(other, { prospect: 'Hooli', activity: 'quote', industry: null, products: [] });
      const opened = await openByCommand(other, MANAGER, 'report');
      const report = await other.slack.waitFor(() => {
        const view = updatedView(other.slack, opened);
        return text(view).includes('Asks submitted') && view;
      });
      expect(text(report)).toContain('*Asks submitted:* *2* (before: 0)');
      expect(text(report)).toContain('Product: Analytics *1* (before: 0)');
      // REP is in both teams; U0REP2 asked nothing.
      expect(text(report)).toContain(
        '*Top requesting teams*\n1. Team S0TEAMA: *2* (before: 0)\n2. Team S0TEAMB: *2*',
      );

      const pick = async (view: ShownView, actionId: string, selected: string) => {
        const click = actionIn(view, MANAGER, { actionId, selected });
        expect((await other.client.interaction(click)).status).toBe(200);
        await other.idle();
        return updatedView(other.slack, view);
      };
      const quotes = await pick(report, REPORT_FIELDS.activity.action, 'quote');
      expect(text(quotes)).toContain('*Only asks with activity Quote.*');
      expect(text(quotes)).toContain('*Asks submitted:* *1* (before: 0)');
      expect(text(quotes)).toContain('Quote: *1* (before: 0)');
      expect(text(quotes)).not.toContain('Reference call:');
      // The filters add up: quotes about Analytics are none.
      const none = await pick(quotes, REPORT_FIELDS.product.action, 'Analytics');
      expect(text(none)).toContain('*Only asks with activity Quote, product Analytics.*');
      expect(text(none)).toContain('*Asks submitted:* *0* (before: 0)');
      // Back to any activity: the Analytics ask of the rep in team B.
      const teamB = await pick(
        await pick(none, REPORT_FIELDS.activity.action, 'any'),
        REPORT_FIELDS.team.action,
        'S0TEAMB',
      );
      expect(text(teamB)).toContain('*Only asks with product Analytics, team Team S0TEAMB.*');
      expect(text(teamB)).toContain('*Asks submitted:* *1* (before: 0)');
    });
  });
});
