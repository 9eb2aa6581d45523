import { describe, expect, it } from 'vitest';
import {
  buildGaps,
  type CoverageGap,
  capacityLeft,
  carriesPipeline,
  compareGaps,
  type GapFacts,
  type GapGrain,
  gapWindow,
  isNoSuitableReference,
  isUpAndComing,
  type PipelineFact,
  segmentLabel,
  segmentsOfGrain,
  shortageScore,
} from '../../src/domain/gaps.ts';
import { DEFAULT_RULES } from '../../src/domain/program-rules.ts';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const grain = (g: Partial<GapGrain>): GapGrain => ({
  industry: null,
  region: null,
  companySize: null,
  product: null,
  ...g,
});
const pipe = (
  g: Partial<GapGrain>,
  openCount: number,
  openAmount: number,
  recent = 0,
  before = 0,
): PipelineFact => ({
  ...grain(g),
  openCount,
  openAmount,
  createdRecently: recent,
  createdBefore: before,
});
const NO_FACTS: GapFacts = {
  pipelineLoaded: true,
  currency: 'USD',
  pipeline: [],
  demand: [],
  supply: [],
};

describe('segments of a grain', () => {
  it('are every choice of 1-3 known dimensions, without the product for a row not split by product', () => {
    const labels = segmentsOfGrain(
      grain({ industry: 'Healthcare', region: 'EMEA', companySize: '1000+' }),
    ).map(segmentLabel);
    expect(labels.sort()).toEqual(
      [
        'Healthcare',
        'EMEA',
        'Healthcare · EMEA',
        '1000+',
        'Healthcare · 1000+',
        'EMEA · 1000+',
        'Healthcare · EMEA · 1000+',
      ].sort(),
    );
  });

  it('always hold the product for a product row, and at most 2 other dimensions', () => {
    const segments = segmentsOfGrain(
      grain({ industry: 'Healthcare', region: 'EMEA', companySize: '1000+', product: 'Analytics' }),
    );
    expect(segments).toHaveLength(7);
    expect(segments.every((s) => s.product === 'Analytics')).toBe(true);
    expect(segments.map(segmentLabel)).toContain('Healthcare · Analytics · EMEA');
    expect(segments.map(segmentLabel)).not.toContain('Healthcare · Analytics · EMEA · 1000+');
  });

  it('leave out unknown dimensions', () => {
    expect(segmentsOfGrain(grain({ region: 'EMEA' }))).toEqual([{ region: 'EMEA' }]);
    expect(segmentsOfGrain(grain({ industry: ' ' }))).toEqual([]);
    expect(segmentsOfGrain(grain({}))).toEqual([]);
  });
});

describe('the rules of the computation', () => {
  it('count the asks a contact can still take under the limit', () => {
    expect(capacityLeft(0, DEFAULT_RULES)).toBe(3);
    expect(capacityLeft(2, DEFAULT_RULES)).toBe(1);
    expect(capacityLeft(5, DEFAULT_RULES)).toBe(0);
  });

  it('need 2 open opportunities and 1% of the open amount for real pipeline', () => {
    expect(carriesPipeline(2, 1_000, 100_000)).toBe(true);
    expect(carriesPipeline(1, 50_000, 100_000)).toBe(false);
    expect(carriesPipeline(5, 999, 100_000)).toBe(false);
  });

  it('flag a segment up-and-coming at +50% with at least 2 created lately', () => {
    expect(isUpAndComing(3, 2)).toBe(true);
    expect(isUpAndComing(2, 2)).toBe(false);
    expect(isUpAndComing(2, 0)).toBe(true);
    expect(isUpAndComing(1, 0)).toBe(false);
    expect(isUpAndComing(14, 10)).toBe(false);
    expect(isUpAndComing(15, 10)).toBe(true);
  });

  it('score shortage as amount × (1 + unmet) / (1 + capacity left)', () => {
    expect(shortageScore(100_000, 0, 0)).toBe(100_000);
    expect(shortageScore(100_000, 3, 1)).toBe(200_000);
    expect(shortageScore(100_000, 0, 9)).toBe(10_000);
  });

  it('rank by shortage, then open amount, then fewer dimensions, then label', () => {
    const gap = (label: string, shortage: number, openAmount: number, dimensions: number) =>
      ({ label, shortage, dimensions, pipeline: { openAmount } }) as CoverageGap;
    const sorted = [
      gap('B', 10, 5, 1),
      gap('A · X', 10, 5, 2),
      gap('C', 10, 9, 3),
      gap('D', 20, 1, 3),
      gap('A', 10, 5, 1),
    ].sort(compareGaps);
    expect(sorted.map((g) => g.label)).toEqual(['D', 'C', 'A', 'B', 'A · X']);
  });

  it('read "No suitable reference" with any case, spaces, and words after a colon', () => {
    expect(isNoSuitableReference('  no SUITABLE reference ')).toBe(true);
    expect(isNoSuitableReference('No suitable reference: nobody in EMEA')).toBe(true);
    expect(isNoSuitableReference('No suitable references')).toBe(false);
    expect(isNoSuitableReference(null)).toBe(false);
  });

  it('look back 90 days for asks and pipeline, and the rules window for capacity', () => {
    expect(gapWindow(NOW, { ...DEFAULT_RULES, windowDays: 30 })).toEqual({
      asksSince: '2026-09-02T12:00:00.000Z',
      rulesSince: '2026-11-01T12:00:00.000Z',
      today: '2026-12-01',
      recentAfter: '2026-09-02',
      previousAfter: '2026-06-04',
    });
  });
});

describe('buildGaps', () => {
  it('counts an opportunity with 2 products once per product, and once in segments without the product', () => {
    // One opportunity of 100 in Healthcare with Analytics and Billing, one of 50 in Healthcare with Analytics.
    const facts: GapFacts = {
      ...NO_FACTS,
      pipeline: [
        pipe({ industry: 'Healthcare' }, 2, 150),
        pipe({ industry: 'Healthcare', product: 'Analytics' }, 2, 150),
        pipe({ industry: 'Healthcare', product: 'Billing' }, 1, 100),
      ],
    };
    const gaps = buildGaps(facts, NOW);
    expect(gaps.totals.pipeline.openCount).toBe(2);
    expect(gaps.totals.pipeline.openAmount).toBe(150);
    // Billing has one opportunity: not real pipeline. Analytics and Healthcare hold the same two deals as
    // Healthcare · Analytics, and nothing else: echoes of it, left out.
    expect(gaps.gaps.map((g) => [g.label, g.pipeline.openCount])).toEqual([['Healthcare · Analytics', 2]]);
    expect(gaps.totals.segments).toBe(1);
  });

  it('holds demand and supply against each segment and ranks by shortage', () => {
    const facts: GapFacts = {
      ...NO_FACTS,
      pipeline: [
        pipe({ industry: 'Healthcare', region: 'EMEA' }, 4, 400, 3, 1),
        pipe({ industry: 'Finance', region: 'EMEA' }, 2, 600),
        pipe({ industry: 'Retail', region: 'AMER' }, 5, 5),
      ],
      demand: [
        { ...grain({ industry: 'Healthcare', region: 'EMEA' }), unmetReason: null, asks: 4 },
        { ...grain({ industry: 'Healthcare', region: 'EMEA' }), unmetReason: 'expired', asks: 2 },
        { ...grain({ industry: 'Healthcare', region: 'EMEA' }), unmetReason: 'no_match', asks: 1 },
        { ...grain({ region: 'EMEA' }), unmetReason: 'all_declined', asks: 1 },
      ],
      supply: [
        {
          ...grain({ industry: 'Finance', region: 'EMEA' }),
          contacts: 2,
          capacityLeft: 5,
          contactsWithCapacity: 2,
          bySeniority: { vp: 2 },
          byActivity: {},
        },
        {
          ...grain({ industry: 'Healthcare', region: 'EMEA' }),
          contacts: 3,
          capacityLeft: 1,
          contactsWithCapacity: 1,
          bySeniority: { manager: 3 },
          byActivity: { case_study: 2 },
        },
      ],
    };
    const gaps = buildGaps(facts, NOW, 3);
    // Retail (5 of 1005 < 1%) is no segment; Healthcare and Finance echo Healthcare · EMEA and Finance · EMEA
    // (every deal, ask and contact of theirs is in EMEA). Healthcare · EMEA 400 × 4 / 2 = 800, EMEA 1000 × 5 / 7,
    // Finance · EMEA 600 / 6 = 100.
    expect(gaps.totals.segments).toBe(3);
    expect(gaps.totals.demand).toEqual({
      asks: 8,
      unmet: 4,
      unmetByReason: { no_match: 1, no_suitable_reference: 0, all_declined: 1, expired: 2 },
    });
    expect(gaps.gaps.map((g) => [g.rank, g.label, g.shortage])).toEqual([
      [1, 'Healthcare · EMEA', 800],
      [2, 'EMEA', (1000 * 5) / 7],
      [3, 'Finance · EMEA', 100],
    ]);
    const [healthcare] = gaps.gaps;
    expect(healthcare).toMatchObject({
      segment: { industry: 'Healthcare', region: 'EMEA' },
      dimensions: 2,
      upAndComing: true,
      pipeline: { openAmount: 400, openCount: 4, createdRecently: 3, createdBefore: 1 },
      demand: { asks: 7, unmet: 3, unmetByReason: { no_match: 1, expired: 2 } },
      supply: { contacts: 3, contactsWithCapacity: 1, capacityLeft: 1, hasExecutive: false },
    });
    expect(healthcare!.supply.bySeniority.manager).toBe(3);
    expect(healthcare!.supply.byActivity.case_study).toBe(2);
    expect(gaps.gaps[1]!.supply).toMatchObject({ contacts: 5, capacityLeft: 6, hasExecutive: true });
  });

  it('keeps a broader segment once it holds more than its narrower one, in any figure', () => {
    const emea = grain({ industry: 'Healthcare', region: 'EMEA' });
    const echo: GapFacts = { ...NO_FACTS, pipeline: [pipe(emea, 2, 100)] };
    expect(buildGaps(echo, NOW).gaps.map((g) => g.label)).toEqual(['Healthcare · EMEA']);
    // The same deals, but an ask in Healthcare with no region: Healthcare says more than its EMEA part.
    const asked: GapFacts = {
      ...echo,
      demand: [{ ...grain({ industry: 'Healthcare' }), unmetReason: 'expired', asks: 1 }],
    };
    expect(buildGaps(asked, NOW).gaps.map((g) => g.label)).toEqual(['Healthcare', 'Healthcare · EMEA']);
  });

  it('names a family of echoes once, by its narrowest segment that names the industry first', () => {
    // Both Retail deals are Payroll deals in APAC: Retail, Payroll, APAC and their pairs all hold the same.
    const retail = { industry: 'Retail', region: 'APAC' };
    const facts: GapFacts = {
      ...NO_FACTS,
      pipeline: [pipe(retail, 2, 100), pipe({ ...retail, product: 'Payroll' }, 2, 100)],
    };
    const gaps = buildGaps(facts, NOW);
    expect(gaps.gaps.map((g) => g.label)).toEqual(['Retail · Payroll · APAC']);
    expect(gaps.totals.segments).toBe(1);
  });

  it('says when no pipeline is loaded', () => {
    const gaps = buildGaps({ ...NO_FACTS, pipelineLoaded: false, currency: null }, NOW);
    expect(gaps).toMatchObject({ pipelineLoaded: false, currency: null, gaps: [], totals: { segments: 0 } });
  });
});
