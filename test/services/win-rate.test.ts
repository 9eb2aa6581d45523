import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/domain/program-rules.ts';
import { type DealFact, trailingYear, winRateSection } from '../../src/domain/report.ts';
import { reportRows } from '../../src/services/report-export.ts';
import { ReportService, type ReportViewer } from '../../src/services/report-service.ts';
import type { Db } from '../../src/store/database.ts';
import { ReportStore } from '../../src/store/report-store.ts';
import { askFor, insertAccount, insertContact } from '../store/directory-rows.ts';
import { openTempDatabase, type TempDatabase } from '../store/temp-database.ts';
import { countQueries } from './request-world.ts';

/** Now is 22 Nov 2026: deals closed from 23 Nov 2025 to 22 Nov 2026 count, whatever the report's period. */
const NOW = new Date('2026-11-22T12:00:00.000Z');
const VIEWER: ReportViewer = { id: 'U0MGR0001', canViewReports: true };

interface Deal {
  id: string;
  status: 'open' | 'won' | 'lost';
  amount: number;
  created: string | null;
  closed: string | null;
  industry?: string;
  region?: string;
  companySize?: string;
  products?: string[];
  removed?: boolean;
}

async function opportunity(db: Db, d: Deal): Promise<void> {
  const at = '2026-11-01T09:00:00.000Z';
  const [row] = (await db('opportunities')
    .insert({
      opportunity_id: d.id,
      amount: d.amount,
      currency: 'EUR',
      status: d.status,
      created_on: d.created,
      close_date: d.closed,
      industry: d.industry ?? null,
      region: d.region ?? null,
      company_size: d.companySize ?? null,
      removed_at: d.removed ? at : null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')) as { id: number }[];
  for (const product of d.products ?? [])
    await db('opportunity_products').insert({ opportunity_id: row!.id, product });
}

/** A request naming `opportunityId`, its contact asked, and (unless `outcome` is none) the rep's report. */
async function referenceFor(
  db: Db,
  contactId: number,
  opportunityId: string,
  outcome: 'held' | 'not_held' | 'none',
): Promise<void> {
  const { requestId, askId } = await askFor(db, contactId, '2026-01-01T09:00:00.000Z', {
    status: outcome === 'held' ? 'completed' : 'agreed',
    answer: 'agreed',
  });
  await db('reference_requests').where({ id: requestId }).update({ opportunity: opportunityId });
  if (outcome === 'none') return;
  await db('reference_outcomes').insert({
    request_id: requestId,
    ask_id: askId,
    contact_id: contactId,
    happened: outcome === 'held',
    recorded_by: 'U0REP0001',
    recorded_at: '2026-01-05T09:00:00.000Z',
  });
}

/**
 * The pipeline, closed deals of the trailing year (days from created to close in brackets):
 *
 * | deal    | status | amount  | days | industry      | region | products           | reference      |
 * | O1      | won    | 100,000 | 59   | Healthcare    | EMEA   | Analytics, Billing | held (twice)   |
 * | O2      | won    | 50,000  | 20   | Healthcare    | NA     | Analytics          | held           |
 * | O3      | lost   | 30,000  | 30   | Finance       | EMEA   | Billing            | held           |
 * | O4      | won    | 20,000  | 10   | Healthcare    | EMEA   | Analytics          |                |
 * | O5      | lost   | 40,000  | 120  | Healthcare    |        |                    |                |
 * | O6      | lost   | 10,000  | –    | Finance       | EMEA   | Analytics          |                |
 * | O7      | lost   | 5,000   | 31   | Retail        | NA     |                    |                |
 * | O8      | won    | 60,000  | 30   | Retail        | NA     |                    | did not happen |
 * | O9      | won    | 70,000  | 31   | Retail        |        |                    | not reported   |
 * | O10     | won    | 10,000  | 22   | Manufacturing |        |                    | (first day)    |
 * | O11-O14 | lost   | 1,000   | 10   | Retail        |        |                    |                |
 *
 * Left out, each with a held reference: an open deal, a removed one, one closed the day before the
 * trailing year and one closed tomorrow.
 */
async function seed(db: Db): Promise<void> {
  const account = await insertAccount(db, { name: 'Acme' });
  const ann = await insertContact(db, account, { name: 'Ann' });
  const deals: Deal[] = [
    {
      id: 'O1',
      status: 'won',
      amount: 100_000,
      created: '2026-01-01',
      closed: '2026-03-01',
      industry: 'Healthcare',
      region: 'EMEA',
      companySize: '1000-4999',
      products: ['Analytics', 'Billing'],
    },
    {
      id: 'O2',
      status: 'won',
      amount: 50_000,
      created: '2026-02-01',
      closed: '2026-02-21',
      industry: 'Healthcare',
      region: 'NA',
      products: ['Analytics'],
    },
    {
      id: 'O3',
      status: 'lost',
      amount: 30_000,
      created: '2026-04-01',
      closed: '2026-05-01',
      industry: 'Finance',
      region: 'EMEA',
      products: ['Billing'],
    },
    {
      id: 'O4',
      status: 'won',
      amount: 20_000,
      created: '2026-01-10',
      closed: '2026-01-20',
      industry: 'Healthcare',
      region: 'EMEA',
      products: ['Analytics'],
    },
    {
      id: 'O5',
      status: 'lost',
      amount: 40_000,
      created: '2026-03-01',
      closed: '2026-06-29',
      industry: 'Healthcare',
    },
    {
      id: 'O6',
      status: 'lost',
      amount: 10_000,
      created: null,
      closed: '2026-07-01',
      industry: 'Finance',
      region: 'EMEA',
      products: ['Analytics'],
    },
    {
      id: 'O7',
      status: 'lost',
      amount: 5_000,
      created: '2026-01-01',
      closed: '2026-02-01',
      industry: 'Retail',
      region: 'NA',
    },
    {
      id: 'O8',
      status: 'won',
      amount: 60_000,
      created: '2026-09-01',
      closed: '2026-10-01',
      industry: 'Retail',
      region: 'NA',
    },
    {
      id: 'O9',
      status: 'won',
      amount: 70_000,
      created: '2026-05-01',
      closed: '2026-06-01',
      industry: 'Retail',
    },
    {
      id: 'O10',
      status: 'won',
      amount: 10_000,
      created: '2025-11-01',
      closed: '2025-11-23',
      industry: 'Manufacturing',
    },
    ...[11, 12, 13, 14].map(
      (i): Deal => ({
        id: `O${i}`,
        status: 'lost',
        amount: 1_000,
        created: '2026-08-01',
        closed: '2026-08-11',
        industry: 'Retail',
      }),
    ),
    // Left out.
    {
      id: 'X-open',
      status: 'open',
      amount: 999,
      created: '2026-01-01',
      closed: '2026-12-31',
      industry: 'Healthcare',
      products: ['Analytics'],
    },
    {
      id: 'X-removed',
      status: 'won',
      amount: 999,
      created: '2026-01-01',
      closed: '2026-02-01',
      industry: 'Healthcare',
      products: ['Analytics'],
      removed: true,
    },
    {
      id: 'X-before',
      status: 'won',
      amount: 999,
      created: '2025-01-01',
      closed: '2025-11-22',
      industry: 'Healthcare',
      products: ['Analytics'],
    },
    {
      id: 'X-tomorrow',
      status: 'won',
      amount: 999,
      created: '2026-01-01',
      closed: '2026-11-23',
      industry: 'Healthcare',
      products: ['Analytics'],
    },
  ];
  for (const deal of deals) await opportunity(db, deal);
  for (const id of ['O1', 'O1', 'O2', 'O3', 'X-open', 'X-removed', 'X-before', 'X-tomorrow'])
    await referenceFor(db, ann, id, 'held');
  await referenceFor(db, ann, 'O8', 'not_held');
  await referenceFor(db, ann, 'O9', 'none');
}

const side = (closed: number, won: number, wonAmount: number, timed: number, medianDays: number | null) => ({
  closed,
  won,
  winRate: closed === 0 ? null : won / closed,
  wonAmount,
  averageWon: won === 0 ? null : wonAmount / won,
  timed,
  medianDays,
  smallSample: closed < 10,
});
const NONE = side(0, 0, 0, 0, null);

describe('win rate with vs without a held reference', () => {
  let temp: TempDatabase;
  let service: ReportService;

  beforeAll(async () => {
    temp = await openTempDatabase();
    service = new ReportService({
      db: temp.db,
      store: new ReportStore(),
      rules: DEFAULT_RULES,
      now: () => NOW,
    });
  });
  afterAll(() => temp.close());

  it('is absent until a pipeline is loaded, and costs one query then', async () => {
    const report = await service.report(VIEWER, { period: 'last_30' });
    expect(report.winRate).toBeNull();
    expect(reportRows(report).some((row) => String(row.table).startsWith('win_rate'))).toBe(false);
    expect(await countQueries(temp.db, () => service.report(VIEWER, { period: 'last_30' }))).toBe(18);
  });

  describe('with a pipeline', () => {
    beforeAll(() => seed(temp.db));

    it('takes the trailing 12 months ending today', () => {
      expect(trailingYear(NOW)).toEqual({ firstDay: '2025-11-23', lastDay: '2026-11-22' });
    });

    it('compares win rate, average won deal and median days to close, with counts', async () => {
      const { winRate } = await service.report(VIEWER, { period: 'last_30' });
      expect(winRate).toMatchObject({ firstDay: '2025-11-23', lastDay: '2026-11-22', currency: 'EUR' });
      // O1 (held twice, counted once), O2 won, O3 lost: 2 of 3, 150,000 won; days 59, 20, 30.
      // O4, O8, O9, O10 won (160,000) of 11; days 10, 120, 31, 30, 31, 22 and 10 four times (O6 has no created date).
      expect(winRate?.overall).toEqual({
        withReference: side(3, 2, 150_000, 3, 30),
        withoutReference: side(11, 4, 160_000, 10, 16),
      });
      expect(winRate?.overall.withReference).toMatchObject({
        winRate: 2 / 3,
        averageWon: 75_000,
        smallSample: true,
      });
      expect(winRate?.overall.withoutReference).toMatchObject({ averageWon: 40_000, smallSample: false });
      // Influenced revenue from the pipeline: the won deals with a held reference.
      expect(winRate?.influencedRevenue).toEqual({ amount: 150_000, deals: 2 });
    });

    it('breaks it down per segment, the values with most closed deals first', async () => {
      const { winRate } = await service.report(VIEWER, { period: 'last_30' });
      expect(winRate?.bySegment.industry).toEqual([
        { key: 'Retail', closed: 7, withReference: NONE, withoutReference: side(7, 2, 130_000, 7, 10) },
        {
          key: 'Healthcare',
          closed: 4,
          withReference: side(2, 2, 150_000, 2, 39.5),
          withoutReference: side(2, 1, 20_000, 2, 65),
        },
        {
          key: 'Finance',
          closed: 2,
          withReference: side(1, 0, 0, 1, 30),
          withoutReference: side(1, 0, 0, 0, null),
        },
        { key: 'Manufacturing', closed: 1, withReference: NONE, withoutReference: side(1, 1, 10_000, 1, 22) },
      ]);
      expect(winRate?.bySegment.region).toEqual([
        {
          key: 'EMEA',
          closed: 4,
          withReference: side(2, 1, 100_000, 2, 44.5),
          withoutReference: side(2, 1, 20_000, 1, 10),
        },
        {
          key: 'NA',
          closed: 3,
          withReference: side(1, 1, 50_000, 1, 20),
          withoutReference: side(2, 1, 60_000, 2, 30.5),
        },
      ]);
      // The removed, open and out-of-window deals name Analytics too: not counted.
      expect(winRate?.bySegment.product).toEqual([
        {
          key: 'Analytics',
          closed: 4,
          withReference: side(2, 2, 150_000, 2, 39.5),
          withoutReference: side(2, 1, 20_000, 1, 10),
        },
        { key: 'Billing', closed: 2, withReference: side(2, 1, 100_000, 2, 44.5), withoutReference: NONE },
      ]);
      expect(winRate?.bySegment.companySize).toEqual([
        { key: '1000-4999', closed: 1, withReference: side(1, 1, 100_000, 1, 59), withoutReference: NONE },
      ]);
    });

    it('ignores the period and the filters of the report, and reads in one more query', async () => {
      const plain = await service.report(VIEWER, { period: 'last_30' });
      const filtered = await service.report(VIEWER, {
        period: 'last_90',
        industry: 'Finance',
        activity: 'quote',
      });
      expect(filtered.winRate).toEqual(plain.winRate);
      expect(await countQueries(temp.db, () => service.report(VIEWER, { period: 'last_30' }))).toBe(19);
    });

    it('exports the section as rows', async () => {
      const rows = reportRows(await service.report(VIEWER, { period: 'last_30' }));
      const find = (table: string, item: string, figure: string) =>
        rows.find((r) => r.table === table && r.item === item && r.figure === figure)?.current;
      expect(rows).toContainEqual({ table: 'win_rate', item: 'currency', figure: 'EUR' });
      expect(find('win_rate', 'closed_between', 'trailing_12_months')).toBe('2025-11-23');
      expect(find('win_rate', 'all', 'with_reference_win_rate')).toBe(0.67);
      expect(find('win_rate', 'all', 'without_reference_closed')).toBe(11);
      expect(find('win_rate', 'all', 'with_reference_small_sample')).toBe('yes');
      expect(find('win_rate', 'influenced_revenue_from_pipeline', 'amount')).toBe(150_000);
      expect(find('win_rate_by_industry', 'Healthcare', 'without_reference_median_days_to_close')).toBe(65);
      // The reps' own figure stays beside it, labelled as theirs.
      expect(rows.some((r) => r.item === 'influenced_revenue_as_reported_by_reps')).toBe(true);
    });
  });
});

describe('winRateSection', () => {
  it('keeps the five values of a segment with most closed deals, ties by name', () => {
    const fact = (key: string, held: boolean, closed: number): DealFact => ({
      segment: 'industry',
      key,
      held,
      closed,
      won: 0,
      wonAmount: 0,
      timed: 0,
      medianDays: null,
    });
    const section = winRateSection(
      {
        currency: 'USD',
        deals: [
          fact('G', false, 1),
          fact('A', true, 2),
          fact('A', false, 2),
          fact('B', false, 3),
          fact('C', true, 3),
          fact('D', false, 9),
          fact('E', false, 5),
          fact('F', false, 2),
        ],
      },
      NOW,
    );
    expect(section.bySegment.industry.map((x) => [x.key, x.closed])).toEqual([
      ['D', 9],
      ['E', 5],
      ['A', 4],
      ['B', 3],
      ['C', 3],
    ]);
    expect(section.overall).toEqual({ withReference: NONE, withoutReference: NONE });
    expect(section.influencedRevenue).toEqual({ amount: 0, deals: 0 });
  });
});
