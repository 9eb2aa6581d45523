import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REQUEST_FIELDS as F } from '../../src/slack/ids.ts';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import {
  contactId,
  inDays,
  openRequestForm,
  REP,
  type RequestFields,
  requestAnswers,
  submitRequest,
  submitView,
} from '../support/journey.ts';
import { state, submission } from '../support/signed-client.ts';
import { viewState } from '../support/views.ts';

type StateValues = ReturnType<typeof viewState>;

/** A request whose `field` says what the form never offered: only a crafted request can. */
const forged =
  (field: 'industry' | 'seniority' | 'activity', value: string) =>
  (values: StateValues): void => {
    values[F[field].block]![F[field].action] = state.select(value);
  };

/** A bad modal submission is answered in the modal, on the right field, and nothing is stored. */
describe('request form validation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  afterAll(async () => {
    await h.stop();
  });

  /** Submits the form refdesk showed, filled with `fields` (and `tamper`ed with), and expects `message` on `block`. */
  async function expectFieldError(
    fields: RequestFields,
    block: string,
    message: RegExp,
    tamper: (values: StateValues) => void = () => undefined,
  ) {
    const form = await openRequestForm(h);
    const values = viewState(form, requestAnswers(form, fields));
    tamper(values);
    const res = await h.client.interaction(submission(REP, form, values));
    expect(res.status).toBe(200);
    const body = res.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors)).toContain(block);
    expect(body.errors[block]).toMatch(message);
    const stored = (await h.db('reference_requests').count({ n: '*' }).first()) as { n: number };
    expect(Number(stored.n)).toBe(0);
    const outbox = (await h.db('outbox').count({ n: '*' }).first()) as { n: number };
    expect(Number(outbox.n)).toBe(0);
  }

  it('refuses a needed-by date in the past', () =>
    expectFieldError({ neededBy: inDays(-2) }, 'needed_by', /today or a later date/));
  it('refuses a missing needed-by date', () => expectFieldError({ neededBy: null }, 'needed_by', /date/));
  it('refuses an impossible date', () =>
    expectFieldError({ neededBy: '2031-02-30' }, 'needed_by', /calendar/));
  it('refuses a negative amount', () => expectFieldError({ amount: '-5' }, 'amount', /negative/));
  it('refuses a non-numeric amount', () => expectFieldError({ amount: '12k' }, 'amount', /number/));
  it('refuses a missing prospect', () => expectFieldError({ prospect: null }, 'prospect', /prospect/));
  it('refuses a prospect over the field limit', () =>
    expectFieldError({ prospect: 'x'.repeat(101) }, 'prospect', /100 characters/));
  it('refuses context over the field limit', () =>
    expectFieldError({ context: 'y'.repeat(2001) }, 'context', /2000 characters/));
  it('refuses a missing context', () => expectFieldError({ context: '   ' }, 'context', /speak to/));
  it('refuses a prospect made only of invisible characters', () =>
    expectFieldError({ prospect: '\u200b\u2060' }, 'prospect', /prospect/));
  it('refuses context made only of invisible characters', () =>
    expectFieldError({ context: '\ufeff\u200b\u2060' }, 'context', /speak to/));
  it('refuses a missing activity', () => expectFieldError({ activity: null }, 'activity', /activity/));
  it('refuses an activity that is not offered', () =>
    expectFieldError({}, 'activity', /activity/, forged('activity', 'skydiving')));
  it('refuses an industry that is not in the directory', () =>
    expectFieldError({}, 'industry', /from the list/, forged('industry', 'Bogus')));
  it('refuses a product that is not in the directory', () =>
    expectFieldError({}, 'products', /from the list/, (values) => {
      values[F.products.block]![F.products.action] = state.multi(['Analytics', 'Nope']);
    }));
  it('refuses an unknown seniority', () =>
    expectFieldError({}, 'seniority', /seniority/, forged('seniority', 'emperor')));
  it('refuses a preferred contact that does not exist', () =>
    expectFieldError({ preferredContactId: '99999' }, 'preferred_contact', /not available/));
  it('refuses a paused preferred contact', async () => {
    const paused = await contactId(h, 'pat@globex.example');
    await expectFieldError({ preferredContactId: String(paused) }, 'preferred_contact', /not available/);
  });

  it('accepts a valid ask, with today as the needed-by date and empty optional fields', async () => {
    const res = await submitRequest(h, {
      neededBy: inDays(0),
      opportunity: null,
      amount: null,
      industry: null,
      products: [],
      region: null,
      companySize: null,
      seniority: null,
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await h.settled();
    const [row] = await h.db('reference_requests');
    expect(row).toMatchObject({ status: 'submitted', opportunity: null, amount: null, products: '[]' });
    expect(h.slack.messagesTo(MANAGERS_CHANNEL)).toHaveLength(1);
  });
});

describe("needed-by is checked on the rep's own calendar", () => {
  // 12:00 UTC on 22 Nov is already 23 Nov on Kiritimati (UTC+14).
  const noon = new Date('2026-11-22T12:00:00.000Z');
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ now: () => noon });
  });
  beforeEach(async () => {
    await h.reset();
    h.slack.timeZones.U0KIRI = 'Pacific/Kiritimati';
  });
  afterAll(async () => {
    await h.stop();
  });

  it('learns the time zone when the form opens and refuses a date that is already past there', async () => {
    const form = await openRequestForm(h, 'U0KIRI');
    expect(await h.db('slack_users').where({ id: 'U0KIRI' }).first()).toMatchObject({
      tz: 'Pacific/Kiritimati',
    });
    const submit = (neededBy: string) => submitView(h, form, 'U0KIRI', requestAnswers(form, { neededBy }));
    const late = await submit('2026-11-22');
    expect(late.json()).toMatchObject({
      response_action: 'errors',
      errors: { needed_by: expect.stringMatching(/today/) },
    });
    const inTime = await submit('2026-11-23');
    expect(inTime.text).toBe('');
  });

  it('uses UTC for a rep whose time zone is not known yet', async () => {
    // Slack could not say where they are when the form opened.
    h.slack.failNext('users.info', 1, { body: { ok: false, error: 'user_not_found' } });
    const res = await submitRequest(h, { neededBy: '2026-11-22' }, 'U0UNKNOWN');
    expect(res.text).toBe('');
    expect(await h.db('slack_users').where({ id: 'U0UNKNOWN' }).first()).toBeUndefined();
  });
});
