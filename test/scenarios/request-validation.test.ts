import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import { contactId, inDays, type RequestFields, submitRequest } from '../support/journey.ts';

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

  async function expectFieldError(fields: RequestFields, block: string, message: RegExp) {
    const res = await submitRequest(h, fields);
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
    expectFieldError({ activity: 'skydiving' }, 'activity', /activity/));
  it('refuses an industry that is not in the directory', () =>
    expectFieldError({ industry: 'Bogus' }, 'industry', /from the list/));
  it('refuses a product that is not in the directory', () =>
    expectFieldError({ products: ['Analytics', 'Nope'] }, 'products', /from the list/));
  it('refuses an unknown seniority', () =>
    expectFieldError({ seniority: 'emperor' }, 'seniority', /seniority/));
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
    await h.client.command({
      user_id: 'U0KIRI',
      text: '',
      trigger_id: 't1',
      response_url: h.nextResponseUrl(),
    });
    await h.slack.waitFor(() => h.slack.callsTo('users.info').length > 0);
    await h.slack.waitFor(async () => (await h.db('slack_users').where({ id: 'U0KIRI' }).first())?.tz);
    const late = await submitRequest(h, { neededBy: '2026-11-22' }, 'U0KIRI');
    expect(late.json()).toMatchObject({
      response_action: 'errors',
      errors: { needed_by: expect.stringMatching(/today/) },
    });
    const inTime = await submitRequest(h, { neededBy: '2026-11-23' }, 'U0KIRI');
    expect(inTime.text).toBe('');
  });

  it('uses UTC for a rep whose time zone is not known yet', async () => {
    const res = await submitRequest(h, { neededBy: '2026-11-22' }, 'U0UNKNOWN');
    expect(res.text).toBe('');
  });
});
