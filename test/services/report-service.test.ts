import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/domain/program-rules.ts';
import type { ProgramReport, Team } from '../../src/domain/report.ts';
import type { RequestStatus } from '../../src/domain/request-lifecycle.ts';
import type { Activity, OwnerAnswer } from '../../src/domain/vocabulary.ts';
import { InputError, NotAllowedError } from '../../src/errors.ts';
import { ReportService, type ReportViewer } from '../../src/services/report-service.ts';
import type { Db } from '../../src/store/database.ts';
import { ReportStore } from '../../src/store/report-store.ts';
import { insertAccount, insertContact } from '../store/directory-rows.ts';
import { openTempDatabase, type TempDatabase } from '../store/temp-database.ts';
import { countQueries } from './request-world.ts';

/**
 * A small history with known answers. Now is 22 Nov 2026 12:00 UTC, so "last 30 days" is
 * [23 Oct 12:00, 22 Nov 12:00) and the period before it [23 Sep 12:00, 23 Oct 12:00).
 */
const NOW = new Date('2026-11-22T12:00:00.000Z');
const VIEWER: ReportViewer = { id: 'U0MGR0001', canViewReports: true };
const A = 'U0REPA';
const B = 'U0REPB';
const C = 'U0REPC';
const D = 'U0REPD';

/**
 * The workspace's user groups. Over the period A asked 4 times (1 before), B 3, C 2, D none (2 before):
 * Sales (A, B) 7/1, Presales (B, C) 5/0, Solo (A) 4/1; Legacy (D) asked only before, Empty not at all.
 */
const SALES: Team = { id: 'S0SALES', name: 'Sales', members: [A, B] };
const PRESALES: Team = { id: 'S0PRESALES', name: 'Presales', members: [B, C, C] };
const SOLO: Team = { id: 'S0SOLO', name: 'Solo', members: [A] };
const LEGACY: Team = { id: 'S0LEGACY', name: 'Legacy', members: [D] };
const EMPTY: Team = { id: 'S0EMPTY', name: 'Empty', members: [] };
const TEAMS: Team[] = [SOLO, LEGACY, SALES, EMPTY, PRESALES];

interface RequestRow {
  rep: string;
  activity: Activity;
  created: string;
  status: RequestStatus;
  neededBy?: string;
  industry?: string;
  region?: string;
  companySize?: string;
  products?: string[];
  /** Denied: when and why. */
  denied?: { at: string; reason: string };
}

async function request(db: Db, r: RequestRow): Promise<number> {
  const at = `2026-${r.created}T00:00:00.000Z`;
  const [row] = (await db('reference_requests')
    .insert({
      requester_id: r.rep,
      prospect: 'Prospect',
      prospect_key: 'prospect',
      activity: r.activity,
      needed_by: r.neededBy ?? '2026-12-20',
      industry: r.industry ?? null,
      region: r.region ?? null,
      company_size: r.companySize ?? null,
      products: JSON.stringify(r.products ?? []),
      context: 'Context',
      status: r.status,
      // As refdesk does: a denial is the request's first decision when no ask was approved before it.
      decided_at: r.denied?.at ?? null,
      closed_by: r.denied ? 'U0MGR0001' : null,
      closed_at: r.denied ? r.denied.at : null,
      close_reason: r.denied?.reason ?? null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')) as { id: number }[];
  // As refdesk does: the products one per row too, with the request's submission time.
  const products = [...new Set(r.products ?? [])];
  if (products.length > 0)
    await db('request_products').insert(
      products.map((product) => ({ request_id: row!.id, product, created_at: at })),
    );
  return row!.id;
}

/**
 * An ask approved at `approvedAt` (and answered), kept on its request as refdesk's status changes keep it:
 * the first approval is the request's first decision, and an 'agreed' answer secures its contact.
 */
async function ask(
  db: Db,
  requestId: number,
  contactId: number,
  approvedAt: string,
  answer?: { answer: OwnerAnswer; at: string },
  owner = 'U0OWNER01',
): Promise<number> {
  const previous = (await db('reference_asks')
    .where({ request_id: requestId })
    .max({ r: 'round' })
    .first()) as {
    r: number | null;
  };
  const [row] = (await db('reference_asks')
    .insert({
      request_id: requestId,
      contact_id: contactId,
      owner_id: owner,
      round: (previous.r ?? 0) + 1,
      approved_by: 'U0MGR0001',
      approved_at: approvedAt,
      answer: answer?.answer ?? null,
      answered_by: answer ? 'U0OWNER01' : null,
      answered_at: answer?.at ?? null,
    })
    .returning('id')) as { id: number }[];
  await db('reference_requests')
    .where({ id: requestId })
    .update({
      current_ask_id: row!.id,
      decided_at: db.raw('coalesce(decided_at, ?)', [approvedAt]),
      ...(answer?.answer === 'agreed' ? { secured_at: answer.at } : {}),
    });
  return row!.id;
}

async function outcome(
  db: Db,
  ids: { requestId: number; askId: number; contactId: number },
  o: {
    at: string;
    rating: number;
    moved: 'yes' | 'no' | 'too_early';
    deal?: ['won' | 'lost', number, string];
  },
): Promise<void> {
  await db('reference_outcomes').insert({
    request_id: ids.requestId,
    ask_id: ids.askId,
    contact_id: ids.contactId,
    happened: true,
    rating: o.rating,
    moved_deal: o.moved,
    recorded_by: 'U0REPA',
    recorded_at: o.at,
    deal_result: o.deal?.[0] ?? null,
    deal_amount: o.deal?.[1] ?? null,
    deal_recorded_at: o.deal?.[2] ?? null,
  });
  // As refdesk does: the rating is kept on the ask too.
  await db('reference_asks').where({ id: ids.askId }).update({ rating: o.rating, rated_at: o.at });
}

/**
 * The history: 9 requests in the period, 3 in the one before, 1 before both.
 *
 * | request | rep | activity       | submitted | industry   | products           | status         |
 * | old     | D   | reference_call | 1 Aug     |            | Analytics          | completed      |
 * | P1      | A   | reference_call | 1 Oct     | Healthcare | Analytics          | completed      |
 * | P2      | D   | quote          | 3 Oct     |            |                    | denied (20 h)  |
 * | P3      | D   | reference_call | 5 Oct     |            |                    | expired        |
 * | R1      | A   | reference_call | 1 Nov     | Healthcare | Analytics, Billing | completed      |
 * | R2      | A   | reference_call | 2 Nov     | Healthcare | Analytics          | agreed         |
 * | R3      | B   | case_study     | 5 Nov     | Finance    | Billing            | denied (8 h)   |
 * | R4      | B   | reference_call | 6 Nov     |            |                    | denied (16 h)  |
 * | R5      | C   | quote          | 7 Nov     |            | Payments           | denied (24 h)  |
 * | R6      | A   | reference_call | 10 Nov    |            |                    | cancelled      |
 * | R7      | A   | reference_call | 12 Nov    |            |                    | expired        |
 * | R8      | C   | case_study     | 20 Nov    |            |                    | submitted      |
 * | R9      | B   | reference_call | 21 Nov    |            |                    | awaiting_owner |
 */
async function seed(db: Db) {
  const account = await insertAccount(db, { name: 'Acme <Labs>' });
  const ann = await insertContact(db, account, { name: 'Ann' });
  const bob = await insertContact(db, account, { name: 'Bob' });
  const cat = await insertContact(db, account, { name: 'Cat' });

  // Before both periods: asked in August, its outcome reported in this period.
  const old = await request(db, {
    rep: D,
    activity: 'reference_call',
    created: '08-01',
    products: ['Analytics'],
    status: 'completed',
  });
  const oldAsk = await ask(db, old, cat, '2026-08-01T01:00:00.000Z', {
    answer: 'agreed',
    at: '2026-08-01T02:00:00.000Z',
  });
  await outcome(
    db,
    { requestId: old, askId: oldAsk, contactId: cat },
    {
      at: '2026-11-02T09:00:00.000Z',
      rating: 4,
      moved: 'too_early',
      deal: ['won', 50_000, '2026-11-18T09:00:00.000Z'],
    },
  );

  // The previous period.
  const p1 = await request(db, {
    rep: A,
    activity: 'reference_call',
    created: '10-01',
    industry: 'Healthcare',
    products: ['Analytics'],
    status: 'completed',
    neededBy: '2026-10-05',
  });
  const p1Ask = await ask(db, p1, bob, '2026-10-01T10:00:00.000Z', {
    answer: 'agreed',
    at: '2026-10-02T10:00:00.000Z',
  });
  await outcome(
    db,
    { requestId: p1, askId: p1Ask, contactId: bob },
    {
      at: '2026-10-10T09:00:00.000Z',
      rating: 3,
      moved: 'no',
      deal: ['lost', 80_000, '2026-10-20T09:00:00.000Z'],
    },
  );
  await request(db, {
    rep: D,
    activity: 'quote',
    created: '10-03',
    status: 'denied',
    denied: { at: '2026-10-03T20:00:00.000Z', reason: 'Budget' },
  });
  await request(db, {
    rep: D,
    activity: 'reference_call',
    created: '10-05',
    status: 'expired',
    neededBy: '2026-10-10',
  });

  // The period.
  const r1 = await request(db, {
    rep: A,
    activity: 'reference_call',
    created: '11-01',
    industry: 'Healthcare',
    region: 'EMEA',
    companySize: '1000-4999',
    products: ['Analytics', 'Billing'],
    status: 'completed',
    neededBy: '2026-11-10',
  });
  const r1Ask = await ask(db, r1, ann, '2026-11-01T02:00:00.000Z', {
    answer: 'agreed',
    at: '2026-11-01T12:00:00.000Z',
  });
  await outcome(
    db,
    { requestId: r1, askId: r1Ask, contactId: ann },
    {
      at: '2026-11-05T09:00:00.000Z',
      rating: 5,
      moved: 'yes',
      deal: ['won', 100_000, '2026-11-15T09:00:00.000Z'],
    },
  );
  const r2 = await request(db, {
    rep: A,
    activity: 'reference_call',
    created: '11-02',
    industry: 'Healthcare',
    products: ['Analytics'],
    status: 'agreed',
    neededBy: '2026-11-03',
  });
  await ask(
    db,
    r2,
    bob,
    '2026-11-02T04:00:00.000Z',
    { answer: 'declined', at: '2026-11-02T10:00:00.000Z' },
    'U0OWNER02',
  );
  await ask(db, r2, ann, '2026-11-03T00:00:00.000Z', { answer: 'agreed', at: '2026-11-03T20:00:00.000Z' });
  await request(db, {
    rep: B,
    activity: 'case_study',
    created: '11-05',
    industry: 'Finance',
    products: ['Billing'],
    status: 'denied',
    denied: { at: '2026-11-05T08:00:00.000Z', reason: 'Too early' },
  });
  await request(db, {
    rep: B,
    activity: 'reference_call',
    created: '11-06',
    status: 'denied',
    denied: { at: '2026-11-06T16:00:00.000Z', reason: 'too early ' },
  });
  await request(db, {
    rep: C,
    activity: 'quote',
    created: '11-07',
    products: ['Payments'],
    status: 'denied',
    denied: { at: '2026-11-08T00:00:00.000Z', reason: 'No <fit>' },
  });
  await request(db, {
    rep: A,
    activity: 'reference_call',
    created: '11-10',
    status: 'cancelled',
    neededBy: '2026-11-12',
  });
  await request(db, {
    rep: A,
    activity: 'reference_call',
    created: '11-12',
    status: 'expired',
    neededBy: '2026-11-15',
  });
  await request(db, {
    rep: C,
    activity: 'case_study',
    created: '11-20',
    status: 'submitted',
    neededBy: '2026-11-24',
  });
  const r9 = await request(db, {
    rep: B,
    activity: 'reference_call',
    created: '11-21',
    status: 'awaiting_owner',
    neededBy: '2026-11-26',
  });
  await ask(db, r9, ann, '2026-11-21T01:00:00.000Z');

  const nomination = (created: string, status: string, decided: string | null = null) =>
    db('nominations').insert({
      nominated_by: A,
      entry: '{}',
      why: 'Happy customer',
      status,
      decided_by: decided ? 'U0MGR0001' : null,
      decided_at: decided,
      created_at: created,
      updated_at: decided ?? created,
    });
  await nomination('2026-11-01T09:00:00.000Z', 'accepted', '2026-11-03T09:00:00.000Z');
  await nomination('2026-10-01T09:00:00.000Z', 'declined', '2026-10-25T09:00:00.000Z');
  await nomination('2026-11-10T09:00:00.000Z', 'pending');
  await nomination('2026-11-20T09:00:00.000Z', 'pending');
  return { ann, bob, cat };
}

describe('ReportService', () => {
  let temp: TempDatabase;
  let service: ReportService;
  let contacts: Awaited<ReturnType<typeof seed>>;
  let report: ProgramReport;

  beforeAll(async () => {
    temp = await openTempDatabase();
    contacts = await seed(temp.db);
    service = new ReportService({
      db: temp.db,
      store: new ReportStore(),
      rules: DEFAULT_RULES,
      now: () => NOW,
    });
    report = await service.report(VIEWER, { period: 'last_30' }, TEAMS);
  });
  afterAll(() => temp.close());

  it('takes the 30 days up to now and the 30 days before them', () => {
    expect(report.periods.current).toMatchObject({
      from: '2026-10-23T12:00:00.000Z',
      to: '2026-11-22T12:00:00.000Z',
      label: 'Last 30 days',
    });
    expect(report.periods.previous).toMatchObject({
      from: '2026-09-23T12:00:00.000Z',
      to: '2026-10-23T12:00:00.000Z',
      label: '23 Sep 2026 – 23 Oct 2026',
    });
  });

  it('counts asks submitted in each period by how they ended, with the top denial reasons', () => {
    const { volume } = report;
    expect(volume.total).toEqual({ current: 9, previous: 3 });
    expect(volume.byStatus).toEqual({
      fulfilled: { current: 2, previous: 1 },
      denied: { current: 3, previous: 1 },
      cancelled: { current: 1, previous: 0 },
      expired: { current: 1, previous: 1 },
      open: { current: 2, previous: 0 },
    });
    expect(volume.ownerDeclined).toEqual({ current: 1, previous: 0 });
    // "Too early" and "too early " are one reason.
    expect(volume.topDenialReasons).toEqual([
      { reason: 'Too early', count: 2 },
      { reason: 'No <fit>', count: 1 },
    ]);
  });

  it('counts asks by activity and the reps who asked most', () => {
    expect(report.volume.byActivity).toEqual([
      { key: 'reference_call', current: 6, previous: 2 },
      { key: 'case_study', current: 2, previous: 0 },
      { key: 'quote', current: 1, previous: 1 },
    ]);
    expect(report.volume.bySegment).toEqual({
      industry: [
        { key: 'Healthcare', current: 2, previous: 1 },
        { key: 'Finance', current: 1, previous: 0 },
      ],
      // R1 and R2 (and P1 before) name Analytics, R1 and R3 Billing, R5 Payments; the old request's is before both.
      product: [
        { key: 'Analytics', current: 2, previous: 1 },
        { key: 'Billing', current: 2, previous: 0 },
        { key: 'Payments', current: 1, previous: 0 },
      ],
      region: [{ key: 'EMEA', current: 1, previous: 0 }],
      companySize: [{ key: '1000-4999', current: 1, previous: 0 }],
    });
    // D asked only in the period before: not a top rep of this one.
    expect(report.volume.topReps).toEqual([
      { key: A, current: 4, previous: 1 },
      { key: B, current: 3, previous: 0 },
      { key: C, current: 2, previous: 0 },
    ]);
  });

  it("ranks the teams by their reps' asks, a rep in two teams counting in both", () => {
    // Sales (A, B) 4+3, before 1; Presales (B, C; C listed twice) 3+2; Solo (A) 4, before 1. Legacy (D) asked
    // only before and Empty never: not ranked.
    expect(report.volume.topTeams).toEqual([
      { key: { id: SALES.id, name: 'Sales' }, current: 7, previous: 1 },
      { key: { id: PRESALES.id, name: 'Presales' }, current: 5, previous: 0 },
      { key: { id: SOLO.id, name: 'Solo' }, current: 4, previous: 1 },
    ]);
    expect(report.filters).toEqual({
      activity: null,
      industry: null,
      region: null,
      product: null,
      team: null,
    });
  });

  it('works out median and p90 turnaround of what was decided and answered in each period', () => {
    const t = report.turnaround;
    // Percentiles interpolate between the two nearest values: the p90 of these is 16 + 0.5 × (24 − 16) = 20.
    // First decisions: 1, 2, 4, 8, 16, 24 h; before: 10, 20 h.
    expect(t.toDecision.current).toEqual({ count: 6, medianHours: 6, p90Hours: 20 });
    expect(t.toDecision.previous).toEqual({ count: 2, medianHours: 15, p90Hours: 19 });
    // Owners answered after 10, 6 and 20 h; before: 24 h.
    expect(t.toOwnerAnswer.current).toEqual({ count: 3, medianHours: 10, p90Hours: 18 });
    expect(t.toOwnerAnswer.previous).toEqual({ count: 1, medianHours: 24, p90Hours: 24 });
    // Contacts secured 12 and 44 h after the ask was submitted; before: 34 h.
    expect(t.toSecured.current).toEqual({ count: 2, medianHours: 28, p90Hours: 40.8 });
    expect(t.toSecured.previous).toEqual({ count: 1, medianHours: 34, p90Hours: 34 });
    // U0OWNER01 answered after 10 and 20 h in the period (24 h before it does not count), U0OWNER02 after 6.
    expect(t.slowestOwners).toEqual([
      { ownerId: 'U0OWNER01', stats: { count: 2, medianHours: 15, p90Hours: 19 } },
      { ownerId: 'U0OWNER02', stats: { count: 1, medianHours: 6, p90Hours: 6 } },
    ]);
  });

  it('counts asks fulfilled by their needed-by date and those due within 72 hours', () => {
    // Needed in the period: R1 and R2 (agreed in time) and R7 (expired); the cancelled one is left out.
    expect(report.turnaround.onTime).toEqual({
      due: { current: 3, previous: 2 },
      fulfilled: { current: 2, previous: 1 },
    });
    // Open and needed by 25 Nov at the latest: the one needed on the 24th, not the one on the 26th.
    expect(report.turnaround.dueSoon).toBe(1);
  });

  it('lists the most-asked contacts and those at or near their cap', () => {
    expect(report.contacts.mostAsked).toEqual([
      // R1 (agreed, rated 5), R2's second ask (agreed) and R9 (not answered yet).
      {
        contactId: contacts.ann,
        name: 'Ann',
        account: 'Acme <Labs>',
        current: 3,
        previous: 0,
        answered: 2,
        ownerDeclined: 0,
        averageRating: 5,
      },
      // R2's first ask, declined by its owner; P1 (rated 3) was before the period.
      {
        contactId: contacts.bob,
        name: 'Bob',
        account: 'Acme <Labs>',
        current: 1,
        previous: 1,
        answered: 1,
        ownerDeclined: 1,
        averageRating: null,
      },
    ]);
    // 3 asks in 90 days is the cap; 2 is near it. Cat's ask in August is outside the window.
    expect(report.contacts.nearCaps).toEqual({
      total: 2,
      contacts: [
        { contactId: contacts.ann, name: 'Ann', account: 'Acme <Labs>', asks: 3 },
        { contactId: contacts.bob, name: 'Bob', account: 'Acme <Labs>', asks: 2 },
      ],
    });
    expect(report.contacts).toMatchObject({ nearThreshold: 2, cap: 3, windowDays: 90 });
    // Cat was not asked in either period; Bob was asked in both, Ann only in this one.
    expect(report.contacts.neverAsked).toEqual({ current: 1, previous: 2 });
  });

  it('sums outcomes reported and deals recorded in each period', () => {
    expect(report.outcomes).toEqual({
      held: { current: 2, previous: 1 },
      averageRating: { current: 4.5, previous: 3 },
      rated: { current: 2, previous: 1 },
      movedDeal: { current: 1, previous: 0 },
      movedAnswered: { current: 2, previous: 1 },
      won: { current: 2, previous: 0 },
      lost: { current: 0, previous: 1 },
      influencedRevenue: { current: 150_000, previous: 0 },
      averageDealSize: { current: 75_000, previous: null },
    });
  });

  it('counts nominations received and decided in each period, and those waiting now', () => {
    // Made 1 Nov (accepted 3 Nov), 1 Oct (declined 25 Oct, in this period), 10 and 20 Nov (waiting; the first over a week).
    expect(report.nominations).toEqual({
      received: { current: 3, previous: 1 },
      accepted: { current: 1, previous: 0 },
      declined: { current: 1, previous: 0 },
      pending: 2,
      aging: 1,
    });
  });

  it('reads the report in one query per table, however long the history', async () => {
    // One more finds no pipeline: no win rate (test/services/win-rate.test.ts loads one).
    expect(await countQueries(temp.db, () => service.report(VIEWER, { period: 'last_90' }))).toBe(18);
    // Filtered, too: the filters are conditions of the same queries.
    const filtered = { period: 'last_90', industry: 'Healthcare', product: 'Analytics', team: SOLO.id };
    expect(await countQueries(temp.db, () => service.report(VIEWER, filtered, TEAMS))).toBe(18);
    expect(report.winRate).toBeNull();
  });

  it('takes two dates as whole days, and the same number of days before them', async () => {
    const dated = await service.report(VIEWER, { period: 'dates', from: '2026-11-01', to: '2026-11-07' });
    expect(dated.periods.current).toMatchObject({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-08T00:00:00.000Z',
      label: '1 Nov 2026 – 7 Nov 2026',
    });
    expect(dated.periods.previous.from).toBe('2026-10-25T00:00:00.000Z');
    // R1 to R5 were submitted 1 to 7 Nov.
    expect(dated.volume.total).toEqual({ current: 5, previous: 0 });
  });

  it('starts this quarter on 1 October', async () => {
    const quarter = await service.report(VIEWER, { period: 'quarter' });
    expect(quarter.periods.current.from).toBe('2026-10-01T00:00:00.000Z');
    // 52.5 days back from 1 Oct.
    expect(quarter.periods.previous.from).toBe('2026-08-09T12:00:00.000Z');
    expect(quarter.volume.total).toEqual({ current: 12, previous: 0 });
  });

  it('refuses dates in the wrong order or in the future, on their field', async () => {
    const refused = (input: object) =>
      service.report(VIEWER, input).then(
        () => null,
        (error: unknown) => (error instanceof InputError ? error.fields : error),
      );
    expect(await refused({ period: 'dates', from: '2026-11-07', to: '2026-11-01' })).toEqual({
      to: 'Pick a date on or after the first one.',
    });
    expect(await refused({ period: 'dates', from: '2026-11-01', to: '2026-11-23' })).toEqual({
      to: 'Pick today or an earlier date.',
    });
    expect(await refused({ period: 'dates', from: null, to: '2026-11-01' })).toEqual({
      from: 'Pick a date.',
    });
    expect(await refused({ period: 'next_year' })).toEqual({ period: 'Pick a period.' });
  });

  describe('filtered', () => {
    const filtered = (filters: object) => service.report(VIEWER, { period: 'last_30', ...filters }, TEAMS);
    const none = { current: 0, previous: 0 };
    const nothing = { count: 0, medianHours: null, p90Hours: null };

    it('counts only the asks of the industry: R1 and R2, and P1 before', async () => {
      const healthcare = await filtered({ industry: 'Healthcare' });
      expect(healthcare.filters).toEqual({
        activity: null,
        industry: 'Healthcare',
        region: null,
        product: null,
        team: null,
      });
      const { volume, turnaround } = healthcare;
      expect(volume.total).toEqual({ current: 2, previous: 1 });
      expect(volume.byStatus).toEqual({
        fulfilled: { current: 2, previous: 1 },
        denied: none,
        cancelled: none,
        expired: none,
        open: none,
      });
      // R2's first ask was declined by its owner.
      expect(volume.ownerDeclined).toEqual({ current: 1, previous: 0 });
      expect(volume.topDenialReasons).toEqual([]);
      expect(volume.byActivity).toEqual([{ key: 'reference_call', current: 2, previous: 1 }]);
      expect(volume.bySegment).toEqual({
        industry: [{ key: 'Healthcare', current: 2, previous: 1 }],
        // R1 and R2 (P1 before) name Analytics, R1 Billing too.
        product: [
          { key: 'Analytics', current: 2, previous: 1 },
          { key: 'Billing', current: 1, previous: 0 },
        ],
        region: [{ key: 'EMEA', current: 1, previous: 0 }],
        companySize: [{ key: '1000-4999', current: 1, previous: 0 }],
      });
      expect(volume.topReps).toEqual([{ key: A, current: 2, previous: 1 }]);
      // Only A's asks count: Sales and Solo, tied, by name.
      expect(volume.topTeams).toEqual([
        { key: { id: SALES.id, name: 'Sales' }, current: 2, previous: 1 },
        { key: { id: SOLO.id, name: 'Solo' }, current: 2, previous: 1 },
      ]);
      // Decided after 2 h (R1) and 4 h (R2); P1 after 10 h.
      expect(turnaround.toDecision).toEqual({
        current: { count: 2, medianHours: 3, p90Hours: 3.8 },
        previous: { count: 1, medianHours: 10, p90Hours: 10 },
      });
      // Every ask answered in either period was for a Healthcare request: as unfiltered.
      expect(turnaround.toOwnerAnswer).toEqual(report.turnaround.toOwnerAnswer);
      expect(turnaround.toSecured).toEqual(report.turnaround.toSecured);
      expect(turnaround.slowestOwners).toEqual(report.turnaround.slowestOwners);
      // Needed in the period: R1 and R2, both secured in time; before: P1.
      expect(turnaround.onTime).toEqual({
        due: { current: 2, previous: 1 },
        fulfilled: { current: 2, previous: 1 },
      });
      expect(turnaround.dueSoon).toBe(0);
      // Ann for R1 and R2's second ask (R9 is not Healthcare); Bob for R2's first ask, and P1 before.
      expect(healthcare.contacts.mostAsked).toEqual([
        {
          contactId: contacts.ann,
          name: 'Ann',
          account: 'Acme <Labs>',
          current: 2,
          previous: 0,
          answered: 2,
          ownerDeclined: 0,
          averageRating: 5,
        },
        {
          contactId: contacts.bob,
          name: 'Bob',
          account: 'Acme <Labs>',
          current: 1,
          previous: 1,
          answered: 1,
          ownerDeclined: 1,
          averageRating: null,
        },
      ]);
      // R1's outcome and deal, P1's before; the old request's (no industry) is left out.
      expect(healthcare.outcomes).toEqual({
        held: { current: 1, previous: 1 },
        averageRating: { current: 5, previous: 3 },
        rated: { current: 1, previous: 1 },
        movedDeal: { current: 1, previous: 0 },
        movedAnswered: { current: 1, previous: 1 },
        won: { current: 1, previous: 0 },
        lost: { current: 0, previous: 1 },
        influencedRevenue: { current: 100_000, previous: 0 },
        averageDealSize: { current: 100_000, previous: null },
      });
    });

    it('counts only the asks of the activity: R5, and P2 before', async () => {
      const quote = await filtered({ activity: 'quote' });
      expect(quote.filters.activity).toBe('quote');
      const { volume, turnaround } = quote;
      expect(volume.total).toEqual({ current: 1, previous: 1 });
      expect(volume.byStatus).toEqual({
        fulfilled: none,
        denied: { current: 1, previous: 1 },
        cancelled: none,
        expired: none,
        open: none,
      });
      expect(volume.ownerDeclined).toEqual(none);
      expect(volume.topDenialReasons).toEqual([{ reason: 'No <fit>', count: 1 }]);
      expect(volume.byActivity).toEqual([{ key: 'quote', current: 1, previous: 1 }]);
      expect(volume.bySegment).toEqual({
        industry: [],
        product: [{ key: 'Payments', current: 1, previous: 0 }],
        region: [],
        companySize: [],
      });
      // D asked only before.
      expect(volume.topReps).toEqual([{ key: C, current: 1, previous: 0 }]);
      expect(volume.topTeams).toEqual([
        { key: { id: PRESALES.id, name: 'Presales' }, current: 1, previous: 0 },
      ]);
      // Denied after 24 h (R5); P2 after 20 h. Never asked: no answers, nothing secured.
      expect(turnaround.toDecision).toEqual({
        current: { count: 1, medianHours: 24, p90Hours: 24 },
        previous: { count: 1, medianHours: 20, p90Hours: 20 },
      });
      expect(turnaround.toOwnerAnswer).toEqual({ current: nothing, previous: nothing });
      expect(turnaround.toSecured).toEqual({ current: nothing, previous: nothing });
      expect(turnaround.slowestOwners).toEqual([]);
      // Both needed on 20 Dec.
      expect(turnaround.onTime).toEqual({ due: none, fulfilled: none });
      expect(quote.contacts.mostAsked).toEqual([]);
      expect(quote.outcomes.held).toEqual(none);
      expect(quote.outcomes.won).toEqual(none);
    });

    it('counts only the asks naming the product: R1 and R3', async () => {
      const billing = await filtered({ product: 'Billing' });
      expect(billing.filters.product).toBe('Billing');
      const { volume, turnaround } = billing;
      expect(volume.total).toEqual({ current: 2, previous: 0 });
      expect(volume.byStatus).toEqual({
        fulfilled: { current: 1, previous: 0 },
        denied: { current: 1, previous: 0 },
        cancelled: none,
        expired: none,
        open: none,
      });
      expect(volume.topDenialReasons).toEqual([{ reason: 'Too early', count: 1 }]);
      expect(volume.byActivity).toEqual([
        { key: 'case_study', current: 1, previous: 0 },
        { key: 'reference_call', current: 1, previous: 0 },
      ]);
      // R1 names Analytics as well.
      expect(volume.bySegment).toEqual({
        industry: [
          { key: 'Finance', current: 1, previous: 0 },
          { key: 'Healthcare', current: 1, previous: 0 },
        ],
        product: [
          { key: 'Billing', current: 2, previous: 0 },
          { key: 'Analytics', current: 1, previous: 0 },
        ],
        region: [{ key: 'EMEA', current: 1, previous: 0 }],
        companySize: [{ key: '1000-4999', current: 1, previous: 0 }],
      });
      expect(volume.topReps).toEqual([
        { key: A, current: 1, previous: 0 },
        { key: B, current: 1, previous: 0 },
      ]);
      // Decided after 2 h (R1) and 8 h (R3); R1's owner answered after 10 h, its contact secured after 12 h.
      expect(turnaround.toDecision).toEqual({
        current: { count: 2, medianHours: 5, p90Hours: 7.4 },
        previous: nothing,
      });
      expect(turnaround.toOwnerAnswer).toEqual({
        current: { count: 1, medianHours: 10, p90Hours: 10 },
        previous: nothing,
      });
      expect(turnaround.toSecured).toEqual({
        current: { count: 1, medianHours: 12, p90Hours: 12 },
        previous: nothing,
      });
      expect(turnaround.slowestOwners).toEqual([
        { ownerId: 'U0OWNER01', stats: { count: 1, medianHours: 10, p90Hours: 10 } },
      ]);
      // R1, needed 10 Nov and secured 1 Nov; R3 is needed on 20 Dec.
      expect(turnaround.onTime).toEqual({
        due: { current: 1, previous: 0 },
        fulfilled: { current: 1, previous: 0 },
      });
    });

    it("counts only the asks of the team's reps: A's R1, R2, R6 and R7, and P1 before", async () => {
      const solo = await filtered({ team: SOLO.id });
      // The team without its members.
      expect(solo.filters.team).toEqual({ id: SOLO.id, name: 'Solo' });
      const { volume, turnaround } = solo;
      // A's R1, R2 (fulfilled), R6 (cancelled), R7 (expired); P1 before.
      expect(volume.total).toEqual({ current: 4, previous: 1 });
      expect(volume.byStatus).toEqual({
        fulfilled: { current: 2, previous: 1 },
        denied: none,
        cancelled: { current: 1, previous: 0 },
        expired: { current: 1, previous: 0 },
        open: none,
      });
      expect(volume.ownerDeclined).toEqual({ current: 1, previous: 0 });
      expect(volume.byActivity).toEqual([{ key: 'reference_call', current: 4, previous: 1 }]);
      expect(volume.topReps).toEqual([{ key: A, current: 4, previous: 1 }]);
      expect(volume.topTeams).toEqual([
        { key: { id: SALES.id, name: 'Sales' }, current: 4, previous: 1 },
        { key: { id: SOLO.id, name: 'Solo' }, current: 4, previous: 1 },
      ]);
      expect(turnaround.toDecision).toEqual({
        current: { count: 2, medianHours: 3, p90Hours: 3.8 },
        previous: { count: 1, medianHours: 10, p90Hours: 10 },
      });
      // Needed in the period: R1, R2 (secured in time) and R7; R6 was cancelled. Before: P1.
      expect(turnaround.onTime).toEqual({
        due: { current: 3, previous: 1 },
        fulfilled: { current: 2, previous: 1 },
      });
      expect(turnaround.dueSoon).toBe(0);
      // Filters together: none of A's asks is a case study.
      const caseStudies = await filtered({ team: SOLO.id, activity: 'case_study' });
      expect(caseStudies.volume.total).toEqual(none);
      expect(caseStudies.volume.topTeams).toEqual([]);
    });

    it('leaves nominations, contacts near their cap and contacts not asked unfiltered', async () => {
      for (const filters of [
        { industry: 'Healthcare' },
        { activity: 'quote' },
        { product: 'Billing' },
        { team: SOLO.id },
      ]) {
        const narrowed = await filtered(filters);
        expect(narrowed.nominations).toEqual(report.nominations);
        expect(narrowed.contacts.nearCaps).toEqual(report.contacts.nearCaps);
        expect(narrowed.contacts.neverAsked).toEqual(report.contacts.neverAsked);
      }
    });

    it('takes "any" or nothing as no filter', async () => {
      const any = await filtered({ activity: 'any', industry: '', region: 'any', product: '', team: 'any' });
      expect(any.filters).toEqual(report.filters);
      expect(any.volume).toEqual(report.volume);
      expect(any.turnaround).toEqual(report.turnaround);
    });

    it('refuses a team that is not in Slack and an activity that does not exist, on their field', async () => {
      const refused = (filters: object) =>
        filtered(filters).then(
          () => null,
          (error: unknown) => (error instanceof InputError ? error.fields : error),
        );
      expect(await refused({ team: 'S0GONE' })).toEqual({
        team: 'That team is no longer in Slack: pick another.',
      });
      expect(await refused({ activity: 'lunch' })).toEqual({ activity: 'Pick an activity.' });
    });
  });

  it('is for managers and report viewers only', async () => {
    await expect(service.report({ id: 'U0REPA', canViewReports: false }, {})).rejects.toBeInstanceOf(
      NotAllowedError,
    );
  });
});
