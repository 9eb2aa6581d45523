import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoverageGap, CoverageGaps } from '../../src/domain/gaps.ts';
import { DEFAULT_RULES } from '../../src/domain/program-rules.ts';
import type { RequestStatus } from '../../src/domain/request-lifecycle.ts';
import type { OwnerAnswer } from '../../src/domain/vocabulary.ts';
import { NotAllowedError } from '../../src/errors.ts';
import { GapsService } from '../../src/services/gaps-service.ts';
import type { Db } from '../../src/store/database.ts';
import { GapsStore } from '../../src/store/gaps-store.ts';
import { insertAccount, insertContact } from '../store/directory-rows.ts';
import { openTempDatabase, type TempDatabase } from '../store/temp-database.ts';
import { countQueries } from './request-world.ts';

/** Now is 1 Dec 2026 12:00 UTC: the last 90 days began 2 Sep 12:00, the 90 before on 4 Jun. */
const NOW = new Date('2026-12-01T12:00:00.000Z');
const MANAGER = { id: 'U0MGR0001', isManager: true };
const REP = { id: 'U0REP0001', isManager: false };
const AT = '2026-01-01T00:00:00.000Z';

interface OpportunitySeed {
  id: string;
  amount: number;
  status?: 'open' | 'won' | 'lost';
  created: string;
  industry: string;
  region: string;
  size: string;
  products: string[];
  removed?: boolean;
}

async function opportunity(db: Db, o: OpportunitySeed): Promise<void> {
  const [row] = (await db('opportunities')
    .insert({
      opportunity_id: o.id,
      amount: o.amount,
      currency: 'USD',
      status: o.status ?? 'open',
      created_on: o.created,
      industry: o.industry,
      region: o.region,
      company_size: o.size,
      removed_at: o.removed ? AT : null,
      created_at: AT,
      updated_at: AT,
    })
    .returning('id')) as { id: number }[];
  if (o.products.length > 0)
    await db('opportunity_products').insert(
      o.products.map((product) => ({ opportunity_id: row!.id, product })),
    );
}

interface RequestSeed {
  created: string;
  status: RequestStatus;
  products?: string[];
  /** Healthcare · EMEA · 1000+ unless told `none` (no segment). */
  none?: boolean;
  noMatch?: boolean;
  reason?: string;
  secured?: boolean;
}

async function request(db: Db, r: RequestSeed): Promise<number> {
  const at = `${r.created}T09:00:00.000Z`;
  const [row] = (await db('reference_requests')
    .insert({
      requester_id: REP.id,
      prospect: 'Prospect',
      prospect_key: 'prospect',
      activity: 'reference_call',
      needed_by: '2026-12-31',
      industry: r.none ? null : 'Healthcare',
      region: r.none ? null : 'EMEA',
      company_size: r.none ? null : '1000+',
      products: JSON.stringify(r.products ?? []),
      context: 'Context',
      status: r.status,
      no_match_at: r.noMatch ? at : null,
      close_reason: r.reason ?? null,
      closed_at: r.reason ? at : null,
      // As refdesk does: an agreed answer secures the request's contact.
      secured_at: r.secured ? at : null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')) as { id: number }[];
  if (r.products?.length)
    await db('request_products').insert(
      r.products.map((product) => ({ request_id: row!.id, product, created_at: at })),
    );
  return row!.id;
}

async function ask(
  db: Db,
  requestId: number,
  contactId: number,
  approved: string,
  answer: OwnerAnswer | null,
) {
  const rounds = (await db('reference_asks').where({ request_id: requestId }).count({ n: '*' }).first()) as {
    n: number | string;
  };
  await db('reference_asks').insert({
    request_id: requestId,
    contact_id: contactId,
    owner_id: 'U0OWNER01',
    round: Number(rounds.n) + 1,
    approved_by: MANAGER.id,
    approved_at: `${approved}T10:00:00.000Z`,
    answer,
    answered_by: answer ? 'U0OWNER01' : null,
    answered_at: answer ? `${approved}T11:00:00.000Z` : null,
  });
}

/** An ask of the contact on a request of no segment, secured: it uses up capacity and is no unmet demand. */
async function used(db: Db, contactId: number, day: string): Promise<void> {
  const id = await request(db, { created: day, status: 'completed', none: true, secured: true });
  await ask(db, id, contactId, day, 'agreed');
}

/**
 * The pipeline (amounts in thousands of USD; created: R the last 90 days, P the 90 before):
 *
 * | opp | industry   | region | size    | products           | status  | amount | created |
 * | O1  | Healthcare | EMEA   | 1000+   | Analytics, Billing | open    | 400    | R       |
 * | O2  | Healthcare | EMEA   | 1000+   | Analytics          | open    | 200    | R       |
 * | O3  | Healthcare | AMER   | 1000+   | Analytics          | open    | 100    | P       |
 * | O9  | Healthcare | AMER   | 1000+   | Analytics          | lost    | 50     | P       |
 * | O4  | Finance    | EMEA   | 100-999 | Billing            | open    | 300    | R       |
 * | O5  | Finance    | EMEA   | 100-999 | Billing            | won     | 900    | R       |
 * | O6  | Finance    | EMEA   | 100-999 | Billing            | removed | 500    | R       |
 * | O7  | Retail     | AMER   | 100-999 | Payments           | open    | 5      | R       |
 * | O8  | Retail     | AMER   | 100-999 | Payments           | open    | 4      | R       |
 *
 * Open: 6 opportunities, 1,009,000 (1% = 10,090: Retail's 9,000 is no segment, nor is Finance's one deal).
 *
 * The directory: Mercy (Healthcare · EMEA · 1000+, Analytics) with Ann (VP, 2 asks in the window and one
 * before it: 1 left), Bob (manager, 3 asks: none left) and Cal (C-level, paused); Fintrust (Finance · EMEA ·
 * 100-999, Billing and Analytics) with Dee (practitioner, 3 left); Other (no segment) with Eve, who is asked
 * on the requests below.
 *
 * Requests submitted in the last 90 days, all Healthcare · EMEA · 1000+:
 * R1 Analytics+Billing submitted, no match yet (open: not unmet); R2 Analytics expired, no match (no_match);
 * R3 Analytics denied "no suitable reference: nobody" (no_suitable_reference); R4 Analytics denied "Budget"
 * (met); R5 Billing cancelled, both owners declined (all_declined); R6 Analytics expired (expired); R7
 * Analytics expired, one owner declined and one never answered (expired); R8 Analytics completed (met).
 * R9 expired on 1 Aug: before the window.
 */
async function seed(db: Db): Promise<void> {
  const base = { industry: 'Healthcare', size: '1000+' };
  await opportunity(db, {
    ...base,
    id: 'O1',
    amount: 400_000,
    created: '2026-11-01',
    region: 'EMEA',
    products: ['Analytics', 'Billing'],
  });
  await opportunity(db, {
    ...base,
    id: 'O2',
    amount: 200_000,
    created: '2026-10-15',
    region: 'EMEA',
    products: ['Analytics'],
  });
  await opportunity(db, {
    ...base,
    id: 'O3',
    amount: 100_000,
    created: '2026-07-01',
    region: 'AMER',
    products: ['Analytics'],
  });
  await opportunity(db, {
    ...base,
    id: 'O9',
    amount: 50_000,
    status: 'lost',
    created: '2026-08-01',
    region: 'AMER',
    products: ['Analytics'],
  });
  const finance = { industry: 'Finance', region: 'EMEA', size: '100-999', products: ['Billing'] };
  await opportunity(db, { ...finance, id: 'O4', amount: 300_000, created: '2026-11-20' });
  await opportunity(db, { ...finance, id: 'O5', amount: 900_000, status: 'won', created: '2026-11-21' });
  await opportunity(db, { ...finance, id: 'O6', amount: 500_000, created: '2026-11-22', removed: true });
  const retail = { industry: 'Retail', region: 'AMER', size: '100-999', products: ['Payments'] };
  await opportunity(db, { ...retail, id: 'O7', amount: 5_000, created: '2026-11-01' });
  await opportunity(db, { ...retail, id: 'O8', amount: 4_000, created: '2026-11-02' });

  const mercy = await insertAccount(db, {
    name: 'Mercy',
    industry: 'Healthcare',
    region: 'EMEA',
    companySize: '1000+',
    products: ['Analytics'],
  });
  const ann = await insertContact(db, mercy, {
    name: 'Ann',
    seniority: 'vp',
    activities: ['reference_call', 'case_study'],
  });
  const bob = await insertContact(db, mercy, { name: 'Bob', seniority: 'manager' });
  await insertContact(db, mercy, { name: 'Cal', seniority: 'c_level', status: 'paused' });
  const fintrust = await insertAccount(db, {
    name: 'Fintrust',
    industry: 'Finance',
    region: 'EMEA',
    companySize: '100-999',
    products: ['Billing', 'Analytics'],
  });
  await insertContact(db, fintrust, { name: 'Dee', seniority: 'practitioner', activities: ['quote'] });
  const other = await insertAccount(db, { name: 'Other', companySize: '50-99' });
  const eve = await insertContact(db, other, { name: 'Eve' });

  await used(db, ann, '2026-06-01');
  await used(db, ann, '2026-10-01');
  await used(db, ann, '2026-11-01');
  for (const day of ['2026-09-15', '2026-10-15', '2026-11-15']) await used(db, bob, day);

  await request(db, {
    created: '2026-11-25',
    status: 'submitted',
    products: ['Analytics', 'Billing'],
    noMatch: true,
  });
  await request(db, { created: '2026-10-01', status: 'expired', products: ['Analytics'], noMatch: true });
  await request(db, {
    created: '2026-10-02',
    status: 'denied',
    products: ['Analytics'],
    reason: '  No SUITABLE reference: nobody ',
  });
  await request(db, { created: '2026-10-03', status: 'denied', products: ['Analytics'], reason: 'Budget' });
  const r5 = await request(db, { created: '2026-10-04', status: 'cancelled', products: ['Billing'] });
  await ask(db, r5, eve, '2026-10-05', 'declined');
  await ask(db, r5, eve, '2026-10-06', 'cannot_ask');
  await request(db, { created: '2026-10-05', status: 'expired', products: ['Analytics'] });
  const r7 = await request(db, { created: '2026-10-06', status: 'expired', products: ['Analytics'] });
  await ask(db, r7, eve, '2026-10-07', 'declined');
  await ask(db, r7, eve, '2026-10-08', null);
  await request(db, { created: '2026-10-07', status: 'completed', products: ['Analytics'], secured: true });
  await request(db, { created: '2026-08-01', status: 'expired', products: ['Analytics'] });
}

let temp: TempDatabase;
let service: GapsService;
let empty: CoverageGaps;
let result: CoverageGaps;
let queries: number;

const gap = (label: string): CoverageGap | undefined => result.gaps.find((g) => g.label === label);

beforeAll(async () => {
  temp = await openTempDatabase();
  service = new GapsService({ db: temp.db, store: new GapsStore(), rules: DEFAULT_RULES, now: () => NOW });
  empty = await service.programGaps();
  await seed(temp.db);
  queries = await countQueries(temp.db, async () => {
    result = await service.gaps(MANAGER, NOW, 100);
  });
});

afterAll(async () => {
  await temp?.close();
});

describe('coverage gaps', () => {
  it('say when no pipeline is loaded', () => {
    expect(empty).toMatchObject({ pipelineLoaded: false, currency: null, gaps: [] });
    expect(result).toMatchObject({ pipelineLoaded: true, currency: 'USD', windowDays: 90 });
  });

  it('are refused to a rep', async () => {
    await expect(service.gaps(REP, NOW)).rejects.toBeInstanceOf(NotAllowedError);
  });

  it('count the open pipeline once per opportunity, removed ones left out', () => {
    expect(result.totals.pipeline).toEqual({
      openAmount: 1_009_000,
      openCount: 6,
      createdRecently: 6,
      createdBefore: 2,
    });
  });

  it('keep segments with 2 open deals and 1% of the open amount', () => {
    expect(gap('Retail')).toBeUndefined();
    expect(gap('Payments')).toBeUndefined();
    expect(gap('Finance')).toBeUndefined();
    expect(gap('AMER')?.pipeline).toMatchObject({ openCount: 3, openAmount: 109_000 });
  });

  it('leave out a segment that echoes a narrower one figure for figure, keeping the narrower', () => {
    // Every Healthcare deal, ask and contact is of a 1000+ account, and every 1000+ one is Healthcare.
    expect(gap('Healthcare')).toBeUndefined();
    expect(gap('1000+')).toBeUndefined();
    expect(gap('Healthcare · 1000+')?.pipeline.openCount).toBe(3);
    // EMEA holds more than its Healthcare · 1000+ part (the Billing deal, Dee): both are there.
    expect(gap('EMEA')?.pipeline.openCount).toBe(3);
    expect(gap('Healthcare · EMEA · 1000+')?.pipeline.openCount).toBe(2);
    // Every Billing deal, ask and contact is in EMEA: Billing · EMEA says it all.
    expect(gap('Billing')).toBeUndefined();
  });

  it('count an opportunity with 2 products once per product, once in segments without the product', () => {
    expect(gap('Healthcare · 1000+')?.pipeline.openCount).toBe(3);
    expect(gap('Analytics')?.pipeline.openCount).toBe(3);
    expect(gap('Billing · EMEA')?.pipeline).toMatchObject({ openCount: 2, openAmount: 700_000 });
    expect(gap('Healthcare · Analytics · EMEA')?.pipeline).toMatchObject({
      openCount: 2,
      openAmount: 600_000,
    });
  });

  it('flag segments whose pipeline created lately is up by half', () => {
    // EMEA: 4 created lately (O1, O2, O4, O5), none before; Healthcare (all 1000+) and AMER: 2 and 2.
    expect(gap('EMEA')?.upAndComing).toBe(true);
    expect(gap('Healthcare · 1000+')?.upAndComing).toBe(false);
    expect(gap('AMER')?.upAndComing).toBe(false);
    expect(result.totals.upAndComingSegments).toBe(result.gaps.filter((g) => g.upAndComing).length);
  });

  it('count asks and unmet asks of the last 90 days, with why', () => {
    expect(gap('Healthcare · 1000+')?.demand).toEqual({
      asks: 8,
      unmet: 5,
      unmetByReason: { no_match: 1, no_suitable_reference: 1, all_declined: 1, expired: 2 },
    });
    expect(gap('Analytics')?.demand).toEqual({
      asks: 7,
      unmet: 4,
      unmetByReason: { no_match: 1, no_suitable_reference: 1, all_declined: 0, expired: 2 },
    });
    expect(gap('Billing · EMEA')?.demand).toMatchObject({
      asks: 2,
      unmet: 1,
      unmetByReason: { all_declined: 1 },
    });
    // 8 in segments and the 5 of no segment Ann and Bob took in the window.
    expect(result.totals.demand).toMatchObject({ asks: 13, unmet: 5 });
  });

  it('count active contacts of the accounts in the segment and the asks they can still take', () => {
    expect(gap('Healthcare · 1000+')?.supply).toMatchObject({
      contacts: 2,
      contactsWithCapacity: 1,
      capacityLeft: 1,
      hasExecutive: true,
      bySeniority: { c_level: 0, vp: 1, director: 0, manager: 1, practitioner: 0 },
      byActivity: { reference_call: 2, case_study: 1, quote: 0 },
    });
    expect(gap('Analytics')?.supply).toMatchObject({ contacts: 3, contactsWithCapacity: 2, capacityLeft: 4 });
    expect(gap('Billing · EMEA')?.supply).toMatchObject({
      contacts: 1,
      capacityLeft: 3,
      hasExecutive: false,
    });
    // Eve was asked 4 times in the window: none left.
    expect(result.totals.supply).toMatchObject({ contacts: 4, contactsWithCapacity: 2, capacityLeft: 4 });
  });

  it('rank segments by shortage: amount × (1 + unmet) / (1 + capacity left)', () => {
    expect(result.gaps.slice(0, 6).map((g) => [g.rank, g.label, g.shortage])).toEqual([
      [1, 'Healthcare · 1000+', 2_100_000],
      [2, 'Healthcare · EMEA · 1000+', 1_800_000],
      [3, 'Healthcare · Analytics · 1000+', 1_750_000],
      [4, 'Analytics · EMEA · 1000+', 1_500_000],
      [5, 'Healthcare · Analytics · EMEA', 1_500_000],
      [6, 'EMEA', 1_080_000],
    ]);
    expect(result.gaps[0]?.segment).toEqual({ industry: 'Healthcare', companySize: '1000+' });
    expect(result.gaps[5]?.segment).toEqual({ region: 'EMEA' });
    expect(gap('EMEA')?.shortage).toBe((900_000 * 6) / 5);
  });

  it('return the top N', async () => {
    const top = await service.programGaps(NOW, 3);
    expect(top.gaps.map((g) => g.label)).toEqual([
      'Healthcare · 1000+',
      'Healthcare · EMEA · 1000+',
      'Healthcare · Analytics · 1000+',
    ]);
    expect(top.totals.segments).toBe(result.gaps.length);
  });

  it('read a few aggregate queries, not every row', () => {
    expect(queries).toBeLessThanOrEqual(9);
  });
});
