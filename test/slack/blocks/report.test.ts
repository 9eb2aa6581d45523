import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../../src/domain/program-rules.ts';
import {
  buildReport,
  type DealFact,
  type DurationStats,
  NO_FILTERS,
  type ProgramReport,
  type ReportFacts,
  type ReportFilters,
  reportPeriods,
  type Team,
  type WinRateFacts,
} from '../../../src/domain/report.ts';
import { ACTIVITY_KEYS } from '../../../src/domain/vocabulary.ts';
import { duration, reportModal } from '../../../src/slack/blocks/report.ts';
import { REPORT_FIELDS } from '../../../src/slack/ids.ts';
import { assertModalWithinLimits, modalProblems, mrkdwnStrings } from './block-kit-limits.ts';
import { hostile, rawMarkupIn } from './request-details.ts';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const pair = (current: number, previous: number) => ({ current, previous });
const stats = (count: number, medianHours: number | null, p90Hours: number | null): DurationStats => ({
  count,
  medianHours,
  p90Hours,
});
const NONE = stats(0, null, null);

const FACTS: ReportFacts = {
  statuses: [
    { status: 'completed', activity: 'reference_call', current: 4, previous: 2 },
    { status: 'denied', activity: 'reference_call', current: 3, previous: 1 },
  ],
  ownerDeclined: pair(1, 0),
  denialReasons: [{ reason: 'Too early', count: 2 }],
  segments: [
    { segment: 'industry', key: 'Health <care>', current: 4, previous: 1 },
    { segment: 'industry', key: 'Retail', current: 0, previous: 2 },
    { segment: 'product', key: 'Analytics', current: 2, previous: 2 },
    { segment: 'region', key: 'EMEA', current: 3, previous: 0 },
  ],
  reps: [
    { key: 'U0REPA', current: 7, previous: 3 },
    { key: 'U0REPB', current: 0, previous: 3 },
  ],
  decisions: { current: stats(6, 6, 24), previous: NONE },
  ownerAnswers: { current: stats(1, 0.5, 0.5), previous: NONE },
  secured: { current: stats(1, 72, 72), previous: NONE },
  slowestOwners: [{ ownerId: 'U0OWNER1', stats: stats(1, 0.5, 0.5) }],
  onTime: { due: pair(3, 2), fulfilled: pair(2, 1) },
  dueSoon: 1,
  mostAsked: [
    {
      contactId: 1,
      name: 'Ann',
      account: 'Acme',
      current: 3,
      previous: 0,
      answered: 2,
      ownerDeclined: 1,
      averageRating: 4.5,
    },
  ],
  nearCaps: { contacts: [{ contactId: 1, name: 'Ann', account: 'Acme', asks: 3 }], total: 1 },
  neverAsked: pair(40, 38),
  outcomes: {
    held: pair(2, 1),
    ratingSum: pair(9, 3),
    rated: pair(2, 1),
    movedDeal: pair(1, 0),
    movedAnswered: pair(2, 1),
    won: pair(2, 0),
    lost: pair(0, 1),
    wonAmount: pair(150_000, 0),
    wonPriced: pair(2, 0),
  },
  nominations: { received: pair(3, 1), accepted: pair(1, 0), declined: pair(1, 2), pending: 2, aging: 1 },
  winRate: null,
};

const deals = (
  segment: DealFact['segment'],
  key: string | null,
  held: boolean,
  closed: number,
  won: number,
  wonAmount: number,
  medianDays: number | null,
): DealFact => ({ segment, key, held, closed, won, wonAmount, timed: closed, medianDays });

/** A loaded pipeline: 3 deals closed with a held reference (2 won), 40 without (10 won). */
const WIN_RATE: WinRateFacts = {
  currency: 'EUR',
  deals: [
    deals(null, null, true, 3, 2, 150_000, 30),
    deals(null, null, false, 40, 10, 400_000, 61.5),
    deals('industry', 'Health <care>', true, 3, 2, 150_000, 30),
    deals('industry', 'Health <care>', false, 12, 3, 90_000, 45),
  ],
};

const TEAMS: Team[] = [
  { id: 'S0SALES', name: 'Sales <EMEA>', members: ['U0REPA', 'U0REPB'] },
  { id: 'S0QUIET', name: 'Quiet', members: ['U0REPC'] },
];

const report = (facts: ReportFacts = FACTS, filters: ReportFilters = NO_FILTERS): ProgramReport =>
  buildReport(facts, {
    periods: reportPeriods({ kind: 'last_30' }, NOW),
    filters,
    teams: TEAMS,
    rules: DEFAULT_RULES,
    now: NOW,
  });

/** Everything a person reads in the modal, as one string. */
const shown = (view: unknown) => mrkdwnStrings(view).join('\n');

/** The longest, most hostile report: every list full, every name and reason at its longest. */
function worstFacts(): ReportFacts {
  const contact = (i: number) => ({
    contactId: i,
    name: hostile(200, `${i}`),
    account: hostile(200),
    asks: 99,
  });
  return {
    ...FACTS,
    denialReasons: [1, 2, 3].map((i) => ({ reason: hostile(3000, `${i}`), count: 1_000_000 })),
    statuses: ACTIVITY_KEYS.map((activity) => ({
      status: 'completed' as const,
      activity,
      current: 1_000_000,
      previous: 1_000_000,
    })),
    reps: [1, 2, 3, 4, 5, 6].map((i) => ({ key: `U0REP${i}`, current: 1_000_000, previous: 999_999 })),
    segments: (['industry', 'product', 'region', 'companySize'] as const).flatMap((segment) =>
      [1, 2, 3, 4, 5, 6].map((i) => ({
        segment,
        key: hostile(200, `${i}`),
        current: 1_000_000,
        previous: 1,
      })),
    ),
    mostAsked: [1, 2, 3, 4, 5].map((i) => ({
      ...contact(i),
      current: 1000,
      previous: 1000,
      answered: 1000,
      ownerDeclined: 999,
      averageRating: 4.25,
    })),
    nearCaps: { contacts: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(contact), total: 100_000 },
    // Every segment with more values than are shown, each side of each with every figure at its longest.
    winRate: {
      currency: 'USD',
      deals: [null, 'industry', 'product', 'region', 'companySize'].flatMap((segment) =>
        [1, 2, 3, 4, 5, 6].flatMap((i) =>
          [true, false].map((held) =>
            deals(
              segment as DealFact['segment'],
              segment === null ? null : hostile(200, `${i}`),
              held,
              1_000_000 + i,
              999_999,
              123_456_789_012.34,
              1234.5,
            ),
          ),
        ),
      ),
    },
  };
}

describe('reportModal', () => {
  it('shows every figure against the period before, each with what it counts', () => {
    const view = reportModal({ period: 'last_30', from: null, to: null, report: report() }, NOW);
    assertModalWithinLimits(view);
    const text = shown(view);
    expect(text).toContain('*Last 30 days* (2026-10-23 – 2026-11-22)');
    expect(text).toContain('*Asks submitted:* *7* (before: 3)');
    expect(text).toContain('• Fulfilled (owner agreed): *4* (before: 2)');
    expect(text).toContain('Top reasons: “Too early” (2)');
    expect(text).toContain('*Submitted → decided:* *median 6 h, p90 24 h (6)* · before: nothing to measure');
    expect(text).toContain('*Decided → owner answered:* *median 30 min, p90 30 min (1)*');
    expect(text).toContain('*Submitted → contact secured:* *median 3 days, p90 3 days (1)*');
    expect(text).toContain('*Fulfilled by the needed-by date:* *2 of 3 (67%)* · before: 1 of 2 (50%)');
    expect(text).toContain('1. <@U0REPA>: *7* (before: 3)');
    expect(text).toContain(
      '*By segment*\nIndustry: Health &lt;care&gt; *4* (before: 1)\nProduct: Analytics *2* (before: 2)\nRegion: EMEA *3* (before: 0)\nCompany size: _none given_',
    );
    // Teams are ranked by their members' asks; a team whose reps did not ask is left out.
    expect(text).toContain('*Top requesting teams*\n1. Sales &lt;EMEA&gt;: *7* (before: 6)');
    expect(text).not.toContain('Quiet');
    expect(text).not.toContain('Only asks with');
    expect(text).toContain('• Ann (Acme): 3 of 3 (at the cap)');
    expect(text).toContain(
      '1. Ann (Acme): *3* (before: 0) · owner declined 1 of 2 (50%) answered · rating 4.5',
    );
    expect(text).toContain('*Active contacts not asked:* *40* (before: 38)');
    expect(text).toContain('*Average rating:* *4.5* of 5 from 2 (before: 3.0 from 1)');
    expect(text).toContain('*Influenced revenue, as reported by reps:* *150,000* (before: 0)');
    expect(text).toContain('*Average won deal:* *75,000* (before: –)');
    expect(text).toContain('*Accepted:* *1* (before: 0) · *Declined:* *1* (before: 2)');
    expect(text).toContain('*Waiting now:* *2*, of which *1* for over 7 days');
    expect(text).toContain('1. <@U0OWNER1>: median 30 min, p90 30 min (1)');
    // Each figure (a section under a header) is followed by the line that says what it counts.
    const blocks = view.blocks;
    blocks.forEach((block, i) => {
      if (block.type === 'section') expect(blocks[i + 1]?.type).toBe('context');
    });
    expect(text).toContain('Turnaround counts asks first approved or denied in the period');
  });

  it('stays within Block Kit limits and escapes names and reasons at their longest', () => {
    const view = reportModal(
      { period: 'dates', from: '2026-01-01', to: '2026-11-22', report: report(worstFacts()) },
      NOW,
    );
    expect(modalProblems(view)).toEqual([]);
    expect(rawMarkupIn(mrkdwnStrings(view))).toEqual([]);
    expect(shown(view)).toContain('&lt;!channel&gt;');
    expect(shown(view)).toContain('…and 99,990 more');
    expect(shown(view)).toContain('*Win rate by company size*');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    // With the win rate and every filter on: still within the limits.
    const filters: ReportFilters = {
      activity: 'quote',
      industry: hostile(75),
      region: hostile(75),
      product: hostile(75),
      team: { ...TEAMS[0]!, name: hostile(200) },
    };
    const choices = {
      industries: [1, 2, 3].map((i) => hostile(75, `${i}`)),
      products: [1, 2, 3].map((i) => hostile(75, `${i}`)),
      regions: [1, 2, 3].map((i) => hostile(75, `${i}`)),
      teams: TEAMS.map(({ id, name }) => ({ id, name })),
    };
    const everything = reportModal(
      {
        period: 'dates',
        from: '2026-01-01',
        to: '2026-11-22',
        report: report(worstFacts(), filters),
        choices,
      },
      NOW,
    );
    expect(modalProblems(everything)).toEqual([]);
    expect(rawMarkupIn(mrkdwnStrings(everything))).toEqual([]);
    expect(everything.blocks.length).toBeLessThanOrEqual(100);
    // Five values of each segment fit whole: nothing cut at the section's 3000 characters.
    const bySegment = mrkdwnStrings(everything).filter((t) => t.startsWith('*Win rate by'));
    expect(bySegment).toHaveLength(4);
    for (const t of bySegment) expect(t.length).toBeLessThan(3000);
  });

  it('offers the filters and says which apply, and that contacts and nominations are not filtered', () => {
    const filters: ReportFilters = {
      activity: 'quote',
      industry: 'Health <care>',
      region: null,
      product: null,
      team: TEAMS[0]!,
    };
    const view = reportModal(
      {
        period: 'last_30',
        from: null,
        to: null,
        report: report(FACTS, filters),
        choices: {
          industries: ['Health <care>', 'Retail'],
          products: ['Analytics'],
          regions: [],
          teams: TEAMS.map(({ id, name }) => ({ id, name })),
        },
        picked: {
          activity: 'quote',
          industry: 'Health <care>',
          product: null,
          region: null,
          team: 'S0SALES',
        },
      },
      NOW,
    );
    assertModalWithinLimits(view);
    const ids = view.blocks.map((b) => b.block_id);
    // No region values in the directory: no region filter.
    expect(ids.slice(0, 5)).toEqual([
      REPORT_FIELDS.period.block,
      REPORT_FIELDS.activity.block,
      REPORT_FIELDS.industry.block,
      REPORT_FIELDS.product.block,
      REPORT_FIELDS.team.block,
    ]);
    const select = (block: string) =>
      (view.blocks.find((b) => b.block_id === block) as { element: { initial_option: { value: string } } })
        .element.initial_option.value;
    expect(select(REPORT_FIELDS.activity.block)).toBe('quote');
    expect(select(REPORT_FIELDS.team.block)).toBe('S0SALES');
    expect(select(REPORT_FIELDS.product.block)).toBe('any');
    const text = shown(view);
    expect(text).toContain(
      '*Only asks with activity Quote, industry Health &lt;care&gt;, team Sales &lt;EMEA&gt;.*',
    );
    expect(text).toContain('the filters do not apply to them');
    expect(rawMarkupIn(mrkdwnStrings(view))).toEqual([]);
  });

  it('shows no win rate without a pipeline', () => {
    const text = shown(reportModal({ period: 'last_30', from: null, to: null, report: report() }, NOW));
    expect(text).not.toContain('Win rate');
    expect(text).not.toContain('from the pipeline');
  });

  it('compares the win rate with vs without a held reference, counts beside every rate', () => {
    const view = reportModal(
      { period: 'last_30', from: null, to: null, report: report({ ...FACTS, winRate: WIN_RATE }) },
      NOW,
    );
    assertModalWithinLimits(view);
    const text = shown(view);
    expect(text).toContain(
      '*Deals closed 2025-11-23 – 2026-11-22*\n' +
        'With a held reference: *67%* won (2 of 3) · average won *EUR 75,000* · median *30 days* to close (3) · _small sample_\n' +
        'Without: *25%* won (10 of 40) · average won *EUR 40,000* · median *61.5 days* to close (40)\n' +
        '*Influenced revenue, from the pipeline:* *EUR 150,000* in 2 won deals with a held reference',
    );
    // The reps' own figure stays, labelled as theirs.
    expect(text).toContain('*Influenced revenue, as reported by reps:* *150,000* (before: 0)');
    expect(text).toContain(
      '*Win rate by industry*\n*Health &lt;care&gt;* (15 closed)\n' +
        '    With a held reference: *67%* won (2 of 3) · average won *EUR 75,000* · median *30 days* to close (3) · _small sample_\n' +
        '    Without: *25%* won (3 of 12) · average won *EUR 30,000* · median *45 days* to close (12)',
    );
    expect(text).toContain('*Win rate by product*\n_none given_');
    expect(text).toContain('the trailing 12 months, whatever the period picked');
    expect(text).toContain('Under 10 deals is a small sample');
    expect(text).not.toContain('filters do not apply here');
    // Each figure is still followed by what it counts.
    view.blocks.forEach((block, i) => {
      if (block.type === 'section') expect(view.blocks[i + 1]?.type).toBe('context');
    });
  });

  it('says the filters do not apply to the win rate when some are on', () => {
    const filters: ReportFilters = { ...NO_FILTERS, industry: 'Retail' };
    const text = shown(
      reportModal(
        { period: 'last_30', from: null, to: null, report: report({ ...FACTS, winRate: WIN_RATE }, filters) },
        NOW,
      ),
    );
    expect(text).toContain("The report's filters do not apply here: this is about deals, not asks.");
  });

  it('opens with the picker and a note while the figures are worked out', () => {
    const loading = reportModal({ period: 'last_90', from: null, to: null, report: null }, NOW);
    assertModalWithinLimits(loading);
    expect(shown(loading)).toContain('Working out the figures');
    const dates = reportModal(
      { period: 'dates', from: '2026-10-01', to: '2026-10-31', report: null, note: 'Pick two days.' },
      NOW,
    );
    assertModalWithinLimits(dates);
    expect(dates.blocks.map((b) => b.block_id)).toEqual([
      REPORT_FIELDS.period.block,
      REPORT_FIELDS.activity.block,
      REPORT_FIELDS.from.block,
      REPORT_FIELDS.to.block,
      undefined,
    ]);
    expect(JSON.parse(dates.private_metadata!)).toEqual({
      period: 'dates',
      from: '2026-10-01',
      to: '2026-10-31',
    });
  });
});

describe('duration', () => {
  it('reads minutes, hours or days', () => {
    expect([null, 0.25, 2.5, 16, 47.6, 60].map(duration)).toEqual([
      '–',
      '15 min',
      '2.5 h',
      '16 h',
      '48 h',
      '2.5 days',
    ]);
  });
});
