import { describe, expect, it } from 'vitest';
import type { CoverageGap, CoverageGaps } from '../../../src/domain/gaps.ts';
import { ACTIVITY_KEYS, SENIORITY_KEYS } from '../../../src/domain/vocabulary.ts';
import { gapLine, gapsModal, homeGapsBlocks, shortAmount } from '../../../src/slack/blocks/gaps.ts';
import { assertModalWithinLimits, messageProblems, mrkdwnStrings } from './block-kit-limits.ts';
import { hostile, rawMarkupIn } from './request-details.ts';

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, 0>;

function gap(rank: number, label: string, over: Partial<CoverageGap> = {}): CoverageGap {
  return {
    rank,
    segment: { industry: label },
    label,
    dimensions: 1,
    pipeline: { openAmount: 4_200_000, openCount: 11, createdRecently: 6, createdBefore: 2 },
    demand: {
      asks: 7,
      unmet: 3,
      unmetByReason: { no_match: 1, no_suitable_reference: 1, all_declined: 0, expired: 1 },
    },
    supply: {
      contacts: 1,
      contactsWithCapacity: 1,
      capacityLeft: 2,
      bySeniority: zeros(SENIORITY_KEYS),
      hasExecutive: false,
      byActivity: zeros(ACTIVITY_KEYS),
    },
    upAndComing: false,
    shortage: 1,
    ...over,
  };
}

function result(gaps: CoverageGap[]): CoverageGaps {
  return {
    pipelineLoaded: true,
    currency: 'USD',
    asOf: '2026-12-02T12:00:00.000Z',
    windowDays: 90,
    thresholds: { minOpenOpportunities: 2, minPipelineShare: 0.01 },
    totals: {
      pipeline: { openAmount: 9_000_000, openCount: 30, createdRecently: 10, createdBefore: 5 },
      demand: gaps[0]?.demand ?? gap(1, 'x').demand,
      supply: gaps[0]?.supply ?? gap(1, 'x').supply,
      segments: 40,
      upAndComingSegments: 3,
    },
    gaps,
  };
}

describe('coverage gaps', () => {
  it('reads each gap in one line', () => {
    expect(gapLine(gap(1, 'Healthcare · Analytics · EMEA'), 'USD', 90)).toBe(
      'Healthcare · Analytics · EMEA: USD 4.2M open in 11 deals, 7 asks in 90 days, 3 unmet; 1 contact able to take 2 more asks; no C-level or VP',
    );
    expect(shortAmount(850_000, null)).toBe('850K');
    expect(shortAmount(1_200, 'EUR')).toBe('EUR 1,200');
  });

  it('stays within Block Kit limits and escapes segment values at their longest', () => {
    const worst = Array.from({ length: 20 }, (_, i) =>
      gap(i + 1, [hostile(75, `${i}`), hostile(75), hostile(75)].join(' · '), { upAndComing: true }),
    );
    const view = gapsModal(result(worst));
    assertModalWithinLimits(view);
    // Each gap offers Recruit, carrying its segment and the pipeline it would serve.
    const recruit = view.blocks.flatMap((b) => {
      const accessory = (b as { accessory?: { action_id?: string; value?: string } }).accessory;
      return accessory?.action_id === 'recruit' ? [JSON.parse(accessory.value!)] : [];
    });
    expect(recruit).toHaveLength(20);
    expect(recruit[0]).toEqual({ segment: worst[0]!.segment, amount: 4_200_000, count: 11, currency: 'USD' });
    expect(rawMarkupIn(mrkdwnStrings(view))).toEqual([]);
    expect(mrkdwnStrings(view).join('\n')).toContain('&lt;!channel&gt;');
    const home = { type: 'home', blocks: homeGapsBlocks(result(worst)) };
    expect(rawMarkupIn(mrkdwnStrings(home))).toEqual([]);
    expect(home.blocks.map((b) => b.type)).toEqual(['section', 'context']);
    expect(messageProblems({ text: 'Home', blocks: home.blocks })).toEqual([]);
  });

  it('shows nothing on the Home without a pipeline', () => {
    expect(homeGapsBlocks({ ...result([]), pipelineLoaded: false })).toEqual([]);
  });
});
