import { describe, expect, it } from 'vitest';
import {
  assessContact,
  isAvailable,
  type MatchCandidate,
  type MatchContext,
  type MatchCriteria,
  type MatchResult,
  orderByFit,
  type Rating,
  rankContacts,
  WEIGHTS,
} from '../../src/domain/matching.ts';
import {
  type ContactUsage,
  DEFAULT_RULES,
  NO_USAGE,
  type ProgramRules,
} from '../../src/domain/program-rules.ts';
import { type Activity, activityMask } from '../../src/domain/vocabulary.ts';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const TODAY = '2026-11-22';
const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();

/** A contact who matches nothing in particular and scores 0 for the bare criteria. */
function contact(id: number, patch: Partial<MatchCandidate> = {}): MatchCandidate {
  const activities: readonly Activity[] = patch.activities ?? ['reference_call'];
  return {
    id,
    name: `Contact ${id}`,
    title: null,
    accountId: 100 + id,
    accountName: `Account ${id}`,
    industry: null,
    region: null,
    companySize: '1-99',
    products: [],
    seniority: null,
    customerSince: null,
    status: 'active',
    pausedUntil: null,
    pauseReason: null,
    ownerId: 'U0OWNER01',
    ...patch,
    activities,
    activityMask: activityMask(activities),
  };
}

interface ContextOptions {
  usage?: Record<number, Partial<ContactUsage>>;
  ratings?: Record<number, Rating>;
  spoke?: number[];
  rules?: Partial<ProgramRules>;
  /** Give the matcher the per-activity shortcut, as the directory index does. */
  withActivity?: boolean;
}

function context(candidates: MatchCandidate[], opts: ContextOptions = {}): MatchContext {
  const ctx: MatchContext = {
    candidates,
    usage: (c) => ({ ...NO_USAGE, ...opts.usage?.[c.id] }),
    rating: (id) => opts.ratings?.[id] ?? null,
    spokeWithProspect: new Set(opts.spoke ?? []),
    rules: { ...DEFAULT_RULES, ...opts.rules },
    now: NOW,
  };
  if (opts.withActivity) {
    ctx.withActivity = (activity) =>
      candidates.filter((c) => c.status !== 'retired' && c.activities.includes(activity));
  }
  return ctx;
}

const BARE: MatchCriteria = {
  activity: 'reference_call',
  industry: null,
  products: [],
  region: null,
  companySize: null,
  seniority: null,
  prospect: null,
};
const criteria = (patch: Partial<MatchCriteria> = {}): MatchCriteria => ({ ...BARE, ...patch });

/** The full criteria of a typical request. */
const GLOBEX = criteria({
  industry: 'Healthcare',
  products: ['Analytics', 'Billing'],
  region: 'EMEA',
  companySize: '1000-4999',
  seniority: 'vp',
  prospect: 'Globex',
});

const rank = (
  candidates: MatchCandidate[],
  wanted: Partial<MatchCriteria> = {},
  opts: ContextOptions = {},
  limit?: number,
) => rankContacts(criteria(wanted), context(candidates, opts), limit);
const ids = (result: MatchResult) => result.suggestions.map((s) => s.contact.id);
const assess = (c: MatchCandidate, wanted: MatchCriteria = BARE, opts: ContextOptions = {}) =>
  assessContact(wanted, context([c], opts), c);
const scoreOf = (c: MatchCandidate, wanted: Partial<MatchCriteria> = {}, opts: ContextOptions = {}) =>
  assess(c, criteria(wanted), opts).score;

describe('rankContacts: hard filters', () => {
  it('suggests only contacts who agreed to the activity', () => {
    const result = rank([contact(1, { activities: ['case_study'] }), contact(2)]);
    expect(ids(result)).toEqual([2]);
    expect(result.eligibleCount).toBe(1);
    expect(result.relaxed).toBeNull();
  });

  it('leaves out a contact paused until a future date, today, or with no end date', () => {
    const result = rank([
      contact(1, { status: 'paused', pausedUntil: '2026-12-01' }),
      contact(2, { status: 'paused', pausedUntil: TODAY }),
      contact(3, { status: 'paused', pausedUntil: null }),
      contact(4),
    ]);
    expect(ids(result)).toEqual([4]);
    expect(result.eligibleCount).toBe(1);
  });

  it('counts a contact whose pause ended as available', () => {
    const ended = contact(1, { status: 'paused', pausedUntil: '2026-11-21', pauseReason: 'Audit' });
    const result = rank([ended]);
    expect(ids(result)).toEqual([1]);
    expect(result.suggestions[0]).toMatchObject({ eligible: true, violations: [] });
    expect(result.suggestions[0]!.warnings.filter((w) => w.startsWith('paused'))).toEqual([]);
    expect(isAvailable(ended, TODAY)).toBe(true);
    expect(isAvailable(ended, '2026-11-21')).toBe(false);
  });

  it('never suggests a retired contact, even when nobody else fits', () => {
    const retired = contact(1, { status: 'retired' });
    expect(ids(rank([retired, contact(2)]))).toEqual([2]);
    const alone = rank([retired]);
    expect(alone.suggestions).toEqual([]);
    expect(alone.relaxed?.filter).toBe('activity');
    expect(isAvailable(retired, TODAY)).toBe(false);
  });

  it('leaves out a contact asked as often as the rules allow within the window', () => {
    const usage = {
      1: { asksInWindow: 3, lastAskedAt: daysAgo(30) },
      2: { asksInWindow: 2, lastAskedAt: daysAgo(30) },
    };
    expect(ids(rank([contact(1), contact(2)], {}, { usage }))).toEqual([2]);
    expect(ids(rank([contact(1), contact(2)], {}, { usage, rules: { maxAsksPerContact: 4 } }))).toEqual([
      2, 1,
    ]);
  });

  it('leaves out a contact asked fewer than the minimum days ago', () => {
    const usage = {
      1: { asksInWindow: 1, lastAskedAt: daysAgo(13) },
      2: { asksInWindow: 1, lastAskedAt: daysAgo(14) },
    };
    expect(ids(rank([contact(1), contact(2)], {}, { usage }))).toEqual([2]);
    expect(ids(rank([contact(1), contact(2)], {}, { usage, rules: { minDaysBetweenAsks: 13 } }))).toEqual([
      1, 2,
    ]);
  });

  it('leaves out a contact with as many open asks as allowed', () => {
    const usage = { 1: { openAsks: 1 }, 2: { openAsks: 1 }, 3: { openAsks: 2 } };
    const all = [contact(1), contact(2), contact(3), contact(4)];
    expect(ids(rank(all, {}, { usage }))).toEqual([4]);
    expect(ids(rank(all, {}, { usage, rules: { maxOpenAsksPerContact: 2 } }))).toEqual([1, 2, 4]);
  });

  it('applies the account cap when there is one', () => {
    const usage = { 1: { accountAsksInWindow: 2 }, 2: { accountAsksInWindow: 1 } };
    expect(ids(rank([contact(1), contact(2)], {}, { usage, rules: { maxAsksPerAccount: 2 } }))).toEqual([2]);
  });

  it('has no account cap when the cap is null', () => {
    const usage = { 1: { accountAsksInWindow: 1000 } };
    const result = rank([contact(1)], {}, { usage, rules: { maxAsksPerAccount: null } });
    expect(ids(result)).toEqual([1]);
    expect(result.suggestions[0]!.violations).toEqual([]);
  });

  it('gives the same answer with or without the per-activity shortcut', () => {
    const all = [
      contact(1, { industry: 'Healthcare' }),
      contact(2, { activities: ['case_study'], industry: 'Healthcare' }),
      contact(3, { status: 'retired', industry: 'Healthcare' }),
      contact(4, { status: 'paused', industry: 'Healthcare' }),
      contact(5),
    ];
    const wanted = criteria({ industry: 'Healthcare' });
    expect(rankContacts(wanted, context(all, { withActivity: true }))).toEqual(
      rankContacts(wanted, context(all)),
    );
  });
});

describe('rankContacts: scores', () => {
  it('scores a contact that matches nothing at 0', () => {
    expect(scoreOf(contact(1))).toBe(0);
    expect(scoreOf(contact(1), GLOBEX)).toBe(0);
  });

  it('adds WEIGHTS.industry for the same industry only', () => {
    const wanted = { industry: 'Healthcare' };
    expect(scoreOf(contact(1, { industry: 'Healthcare' }), wanted)).toBe(WEIGHTS.industry);
    expect(scoreOf(contact(1, { industry: 'Retail' }), wanted)).toBe(0);
    expect(scoreOf(contact(1, { industry: null }), wanted)).toBe(0);
    // No industry asked for: nothing to match.
    expect(scoreOf(contact(1, { industry: 'Healthcare' }))).toBe(0);
  });

  it('adds WEIGHTS.productEach per product used, up to WEIGHTS.productsMax', () => {
    const wanted = { products: ['Analytics', 'Billing', 'Payroll'] };
    const withProducts = (products: string[]) => scoreOf(contact(1, { products }), wanted);
    expect(withProducts([])).toBe(0);
    expect(withProducts(['Forecasting'])).toBe(0);
    expect(withProducts(['Analytics'])).toBe(WEIGHTS.productEach);
    expect(withProducts(['Analytics', 'Billing'])).toBe(2 * WEIGHTS.productEach);
    expect(withProducts(['Analytics', 'Billing', 'Payroll'])).toBe(WEIGHTS.productsMax);
    expect(WEIGHTS.productsMax).toBeLessThan(3 * WEIGHTS.productEach);
  });

  it('adds WEIGHTS.region and WEIGHTS.companySize for the same region and size', () => {
    expect(scoreOf(contact(1, { region: 'EMEA' }), { region: 'EMEA' })).toBe(WEIGHTS.region);
    expect(scoreOf(contact(1, { region: 'APAC' }), { region: 'EMEA' })).toBe(0);
    expect(scoreOf(contact(1, { companySize: 'Enterprise' }), { companySize: 'Enterprise' })).toBe(
      WEIGHTS.companySize,
    );
    expect(scoreOf(contact(1, { companySize: 'Enterprise' }), { companySize: '1-99' })).toBe(0);
  });

  it('adds WEIGHTS.seniorityPeer at the same level, WEIGHTS.seniorityNear one apart, nothing further', () => {
    const wanted = { seniority: 'vp' as const };
    const at = (seniority: MatchCandidate['seniority']) => scoreOf(contact(1, { seniority }), wanted);
    expect(at('vp')).toBe(WEIGHTS.seniorityPeer);
    expect(at('c_level')).toBe(WEIGHTS.seniorityNear);
    expect(at('director')).toBe(WEIGHTS.seniorityNear);
    expect(at('manager')).toBe(0);
    expect(at('practitioner')).toBe(0);
    expect(at(null)).toBe(0);
    expect(scoreOf(contact(1, { seniority: 'vp' }))).toBe(0);
  });

  it('adds WEIGHTS.tenurePerYear per full year as a customer, up to WEIGHTS.tenureMax', () => {
    const since = (customerSince: string | null) => scoreOf(contact(1, { customerSince }));
    expect(since(null)).toBe(0);
    expect(since('2026-01-01')).toBe(0);
    expect(since('2025-11-23')).toBe(0);
    expect(since('2025-11-22')).toBe(WEIGHTS.tenurePerYear);
    expect(since('2022-11-22')).toBe(4 * WEIGHTS.tenurePerYear);
    expect(since('2021-11-22')).toBe(WEIGHTS.tenureMax);
    expect(since('2001-01-01')).toBe(WEIGHTS.tenureMax);
    // A date in the future counts for nothing, not less than nothing.
    expect(since('2027-06-01')).toBe(0);
  });

  it('takes WEIGHTS.recentAskPenalty off per ask within the window', () => {
    const asked = (asksInWindow: number) =>
      scoreOf(contact(1), {}, { usage: { 1: { asksInWindow, lastAskedAt: daysAgo(40) } } });
    expect(asked(1)).toBe(-WEIGHTS.recentAskPenalty);
    expect(asked(2)).toBe(-2 * WEIGHTS.recentAskPenalty);
  });

  it('adds WEIGHTS.ratingPerStar per star above 3 and takes it off per star below', () => {
    const rated = (average: number) => scoreOf(contact(1), {}, { ratings: { 1: { average, count: 3 } } });
    expect(rated(3)).toBe(0);
    expect(rated(4.5)).toBe(1.5 * WEIGHTS.ratingPerStar);
    expect(rated(5)).toBe(2 * WEIGHTS.ratingPerStar);
    expect(rated(2)).toBe(-WEIGHTS.ratingPerStar);
    expect(rated(1)).toBe(-2 * WEIGHTS.ratingPerStar);
    // Rounded to one decimal.
    expect(rated(13 / 3)).toBe(5.3);
  });

  it('adds the factors up for a perfect peer', () => {
    const peer = contact(1, {
      industry: 'Healthcare',
      products: ['Analytics', 'Billing'],
      region: 'EMEA',
      companySize: '1000-4999',
      seniority: 'vp',
      customerSince: '2015-01-01',
    });
    const expected =
      WEIGHTS.industry +
      WEIGHTS.productsMax +
      WEIGHTS.region +
      WEIGHTS.companySize +
      WEIGHTS.seniorityPeer +
      WEIGHTS.tenureMax +
      2 * WEIGHTS.ratingPerStar;
    expect(assess(peer, GLOBEX, { ratings: { 1: { average: 5, count: 1 } } }).score).toBe(expected);
  });

  it('ranks by fit: industry, then products, seniority, region, size', () => {
    const result = rank(
      [
        contact(1),
        contact(2, { companySize: '1000-4999' }),
        contact(3, { region: 'EMEA' }),
        contact(4, { seniority: 'vp' }),
        contact(5, { products: ['Analytics', 'Billing'] }),
        contact(6, { industry: 'Healthcare' }),
      ],
      GLOBEX,
    );
    expect(ids(result)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(result.suggestions.map((s) => s.score)).toEqual([
      WEIGHTS.industry,
      WEIGHTS.productsMax,
      WEIGHTS.seniorityPeer,
      WEIGHTS.region,
      WEIGHTS.companySize,
      0,
    ]);
  });

  it('spreads the load: a recent ask costs exactly its penalty in the ranking', () => {
    const usage = { 1: { asksInWindow: 2, lastAskedAt: daysAgo(20) } };
    const result = rank(
      [contact(1, { region: 'EMEA' }), contact(2, { companySize: '1000-4999' })],
      { region: 'EMEA', companySize: '1000-4999' },
      { usage },
    );
    expect(ids(result)).toEqual([2, 1]);
    expect(result.suggestions.map((s) => s.score)).toEqual([
      WEIGHTS.companySize,
      WEIGHTS.region - 2 * WEIGHTS.recentAskPenalty,
    ]);
  });

  it('ranks a better-rated contact higher, and a poorly rated one lower', () => {
    const ratings = { 1: { average: 2, count: 4 }, 3: { average: 4, count: 2 } };
    expect(ids(rank([contact(1), contact(2), contact(3)], {}, { ratings }))).toEqual([3, 2, 1]);
  });
});

describe('rankContacts: ties and limits', () => {
  it('breaks ties by lower id, whatever the order of the candidates', () => {
    expect(ids(rank([contact(5), contact(3), contact(9), contact(1)]))).toEqual([1, 3, 5, 9]);
  });

  it('puts the contact with fewer recent asks first on equal scores, before looking at ids', () => {
    // Contact 1: one ask (-4) and a 4-star rating (+4) ties with contact 2 at 0.
    const result = rank(
      [contact(1), contact(2)],
      {},
      {
        usage: { 1: { asksInWindow: 1, lastAskedAt: daysAgo(30) } },
        ratings: { 1: { average: 4, count: 1 } },
      },
    );
    expect(result.suggestions.map((s) => [s.contact.id, s.score])).toEqual([
      [2, 0],
      [1, 0],
    ]);
  });

  it('keeps the best `limit` contacts, ties going to the lowest ids', () => {
    const all = [7, 6, 5, 4, 3, 2, 1].map((id) => contact(id));
    expect(ids(rank(all, {}, {}, 2))).toEqual([1, 2]);
    const better = [...all, contact(8, { region: 'EMEA' })];
    expect(ids(rank(better, { region: 'EMEA' }, {}, 3))).toEqual([8, 1, 2]);
  });

  it('returns 10 suggestions by default and counts every eligible contact', () => {
    const all = Array.from({ length: 25 }, (_, i) => contact(i + 1));
    const result = rank(all);
    expect(ids(result)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(result.eligibleCount).toBe(25);
  });
});

describe('rankContacts: explanations', () => {
  it('says why a contact fits, in a rep’s words', () => {
    const jane = contact(1, {
      industry: 'Healthcare',
      products: ['Analytics', 'Payroll'],
      region: 'EMEA',
      companySize: '1000-4999',
      seniority: 'vp',
      customerSince: '2021-03-01',
    });
    const s = assess(jane, GLOBEX, {
      usage: { 1: { asksInWindow: 1, lastAskedAt: daysAgo(30) } },
      ratings: { 1: { average: 4.5, count: 2 } },
    });
    expect(s.reasons).toEqual([
      'Same industry: Healthcare',
      'Uses Analytics',
      'EMEA',
      'Same size: 1000-4999',
      'VP for a VP',
      'Customer for 5 years',
      '1 ask in the last 90 days',
      'Rated 4.5/5 by reps',
    ]);
    expect(s.warnings).toEqual(['asked 30 days ago']);
    expect(s.violations).toEqual([]);
    expect(s.eligible).toBe(true);
  });

  it('says what is not ideal', () => {
    const far = contact(2, {
      industry: 'Retail',
      region: 'APAC',
      companySize: 'Enterprise',
      seniority: 'manager',
    });
    const s = assess(far, GLOBEX, {
      usage: { 2: { asksInWindow: 2, lastAskedAt: daysAgo(12), openAsks: 1 } },
      spoke: [2],
    });
    expect(s.reasons).toEqual(['2 asks in the last 90 days']);
    expect(s.warnings).toEqual([
      'different industry (Retail)',
      'does not use Analytics or Billing',
      'different region (APAC)',
      'different size (Enterprise)',
      'Manager for a VP',
      // "asked 12 days ago" and "already has an open ask" are said once, by the violations.
      'already spoke with Globex',
    ]);
    expect(s.violations).toEqual([
      'asked 12 days ago (the program waits 14 days between asks)',
      'already has an open ask',
    ]);
    expect(s.eligible).toBe(false);
  });

  it('names every product used and every seniority near enough', () => {
    const wanted = criteria({ products: ['Analytics', 'Billing'], seniority: 'vp' });
    expect(
      assess(contact(1, { products: ['Billing', 'Analytics'], seniority: 'director' }), wanted).reasons,
    ).toEqual(expect.arrayContaining(['Uses Analytics, Billing', 'Director for a VP']));
    expect(assess(contact(1, { seniority: 'c_level' }), wanted).reasons).toContain('C-level for a VP');
    expect(assess(contact(1, { seniority: 'practitioner' }), wanted).warnings).toContain(
      'Practitioner for a VP',
    );
    expect(assess(contact(1, { seniority: null }), wanted).warnings).toContain('seniority unknown');
  });

  it('says "different" without a value when the contact’s is unknown', () => {
    const s = assess(contact(1), GLOBEX);
    expect(s.warnings).toEqual(
      expect.arrayContaining(['different industry', 'different region', 'different size (1-99)']),
    );
  });

  it('counts tenure in whole years, singular for one', () => {
    expect(assess(contact(1, { customerSince: '2025-11-22' })).reasons).toContain('Customer for 1 year');
    expect(assess(contact(1, { customerSince: '2026-01-01' })).reasons.join()).not.toContain('Customer for');
  });

  it('counts asks in the rules’ window', () => {
    expect(assess(contact(1)).reasons).toEqual(['No asks in the last 90 days']);
    expect(assess(contact(1), BARE, { rules: { windowDays: 30 } }).reasons).toEqual([
      'No asks in the last 30 days',
    ]);
    const twice = { usage: { 1: { asksInWindow: 2, lastAskedAt: daysAgo(50) } } };
    expect(assess(contact(1), BARE, twice).reasons).toEqual(['2 asks in the last 90 days']);
  });

  it('warns about the last ask only within the window, in days', () => {
    // No minimum gap here, so the warning is not folded into a rule violation.
    const lastAsked = (iso: string) =>
      assess(contact(1), BARE, { usage: { 1: { lastAskedAt: iso } }, rules: { minDaysBetweenAsks: 0 } })
        .warnings;
    expect(lastAsked(daysAgo(0))).toEqual(['asked today']);
    expect(lastAsked(daysAgo(1))).toEqual(['asked yesterday']);
    expect(lastAsked(daysAgo(12))).toEqual(['asked 12 days ago']);
    expect(lastAsked(daysAgo(89))).toEqual(['asked 89 days ago']);
    expect(lastAsked(daysAgo(90))).toEqual([]);
  });

  it('warns about a collision with the same prospect, named or not', () => {
    expect(assess(contact(1), criteria({ prospect: 'Globex' }), { spoke: [1] }).warnings).toEqual([
      'already spoke with Globex',
    ]);
    expect(assess(contact(1), BARE, { spoke: [1] }).warnings).toEqual(['already spoke with this prospect']);
    expect(assess(contact(1), criteria({ prospect: 'Globex' }), { spoke: [2] }).warnings).toEqual([]);
  });

  it('warns about the activity, a pause and retirement', () => {
    const wanted = criteria({ activity: 'case_study' });
    expect(assess(contact(1), wanted).warnings).toEqual(['has not agreed to a case study interview']);
    const paused = contact(1, {
      status: 'paused',
      pausedUntil: '2026-12-01',
      pauseReason: 'Busy with an audit',
    });
    expect(assess(paused).warnings).toEqual(['paused until 2026-12-01: Busy with an audit']);
    expect(assess(contact(1, { status: 'paused' })).warnings).toEqual(['paused']);
    expect(assess(contact(1, { status: 'retired' })).warnings).toEqual(['retired']);
  });
});

describe('rankContacts: when nothing fits', () => {
  it('relaxes the activity: the nearest are available contacts within the rules who do something else', () => {
    const result = rank(
      [
        contact(1, { activities: ['case_study'] }),
        contact(2, { activities: ['case_study'], industry: 'Healthcare' }),
        contact(3, { activities: ['case_study'], status: 'paused', industry: 'Healthcare' }),
        contact(4, { activities: ['case_study'], industry: 'Healthcare' }),
        contact(5, { status: 'retired', industry: 'Healthcare' }),
        contact(6, { activities: [], status: 'retired', industry: 'Healthcare' }),
      ],
      { industry: 'Healthcare' },
      { usage: { 4: { openAsks: 1 } } },
    );
    expect(result.relaxed).toEqual({
      filter: 'activity',
      message: 'No active contact has agreed to a reference call yet.',
    });
    expect(ids(result)).toEqual([2, 1]);
    expect(result.eligibleCount).toBe(0);
    expect(result.unmet).toEqual([]);
    for (const s of result.suggestions) {
      expect(s.eligible).toBe(false);
      expect(s.violations).toEqual([]);
      expect(s.warnings).toContain('has not agreed to a reference call');
    }
  });

  it('relaxes availability: the nearest are paused contacts who do the activity', () => {
    const result = rank(
      [
        contact(1, { status: 'paused', pausedUntil: '2026-12-01', pauseReason: 'Renewal' }),
        contact(2, { status: 'paused', industry: 'Healthcare' }),
        contact(3, { activities: ['case_study'], industry: 'Healthcare' }),
        contact(4, { status: 'retired', industry: 'Healthcare' }),
      ],
      { industry: 'Healthcare' },
    );
    expect(result.relaxed).toEqual({
      filter: 'availability',
      message: 'Every contact who does a reference call is paused or retired.',
    });
    expect(ids(result)).toEqual([2, 1]);
    expect(result.suggestions.map((s) => s.eligible)).toEqual([false, false]);
    expect(result.suggestions[1]!.warnings).toContain('paused until 2026-12-01: Renewal');
  });

  it('relaxes the rules: the nearest are available contacts who do the activity, with their violations', () => {
    const result = rank(
      [
        contact(1, { industry: 'Healthcare' }),
        contact(2),
        contact(3, { status: 'paused', industry: 'Healthcare' }),
        contact(4, { activities: ['case_study'], industry: 'Healthcare' }),
        contact(5, { status: 'retired', industry: 'Healthcare' }),
      ],
      { industry: 'Healthcare' },
      { usage: { 1: { asksInWindow: 3, lastAskedAt: daysAgo(20) }, 2: { openAsks: 1 }, 3: { openAsks: 1 } } },
    );
    expect(result.relaxed).toEqual({
      filter: 'rules',
      message:
        'Everyone who does a reference call was asked too often lately; a manager can still approve one with an override.',
    });
    expect(ids(result)).toEqual([1, 2]);
    expect(result.suggestions.map((s) => s.violations)).toEqual([
      ['asked 3 times in the last 90 days (limit 3)'],
      ['already has an open ask'],
    ]);
  });

  it('relaxes the activity, with no suggestions, for an empty directory', () => {
    expect(rank([])).toEqual({
      suggestions: [],
      relaxed: { filter: 'activity', message: 'No active contact has agreed to a reference call yet.' },
      unmet: [],
      eligibleCount: 0,
    });
  });

  it('names each criterion no eligible contact meets, and still suggests the nearest', () => {
    const result = rank(
      [
        contact(1, { industry: 'Retail', region: 'APAC', companySize: 'Enterprise', seniority: 'manager' }),
        // Meets everything, but paused: it does not count.
        contact(2, {
          status: 'paused',
          industry: 'Healthcare',
          products: ['Analytics'],
          region: 'EMEA',
          companySize: '1000-4999',
          seniority: 'vp',
        }),
      ],
      GLOBEX,
    );
    expect(result.relaxed).toBeNull();
    expect(ids(result)).toEqual([1]);
    expect(result.unmet).toEqual([
      'No contact in Healthcare fits',
      'No contact using Analytics or Billing fits',
      'No contact in EMEA fits',
      'No contact of size 1000-4999 fits',
      'No VP fits',
    ]);
  });

  it('wants the exact seniority for it to be met', () => {
    expect(rank([contact(1, { seniority: 'director' })], { seniority: 'vp' }).unmet).toEqual(['No VP fits']);
  });

  it('has no unmet notes when some eligible contact meets each criterion, or nothing was asked', () => {
    const result = rank(
      [
        contact(1, { industry: 'Healthcare', products: ['Billing'] }),
        contact(2, { region: 'EMEA', companySize: '1000-4999', seniority: 'vp' }),
      ],
      GLOBEX,
    );
    expect(result.unmet).toEqual([]);
    expect(rank([contact(1)]).unmet).toEqual([]);
  });
});

describe('orderByFit', () => {
  const all = [
    contact(1, { name: 'Ann Eligible' }),
    contact(2, { name: 'Bob NotAgreed', activities: ['case_study'], industry: 'Healthcare' }),
    contact(3, { name: 'Cy OverRules', products: ['Analytics', 'Billing'] }),
    contact(4, { name: 'Di Paused', status: 'paused', pausedUntil: '2026-12-01', industry: 'Healthcare' }),
    contact(5, { name: 'Ed Retired', status: 'retired', industry: 'Healthcare' }),
    contact(6, { name: 'Flo Better', region: 'EMEA' }),
  ];
  const ctx = context(all, { usage: { 3: { openAsks: 1 } } });
  const order = (matches: (c: MatchCandidate) => boolean, limit = 10) =>
    orderByFit(GLOBEX, ctx, matches, limit).map((s) => s.contact.id);

  it('puts every eligible contact first, then the rest, each by fit; only active contacts', () => {
    expect(order(() => true)).toEqual([6, 1, 2, 3]);
    const suggestions = orderByFit(GLOBEX, ctx, () => true, 10);
    expect(suggestions.map((s) => [s.eligible, s.score])).toEqual([
      [true, WEIGHTS.region],
      [true, 0],
      [false, WEIGHTS.industry],
      [false, WEIGHTS.productsMax],
    ]);
    expect(suggestions[2]!.warnings).toContain('has not agreed to a reference call');
    expect(suggestions[3]!.violations).toEqual(['already has an open ask']);
  });

  it('keeps only the contacts the text matches', () => {
    expect(order((c) => c.name!.includes('o'))).toEqual([6, 2]);
    expect(order(() => false)).toEqual([]);
  });

  it('keeps at most `limit`', () => {
    expect(order(() => true, 2)).toEqual([6, 1]);
    expect(order(() => true, 3)).toEqual([6, 1, 2]);
  });
});

describe('assessContact', () => {
  it('assesses any contact, even one the matcher would not suggest', () => {
    const retired = contact(9, { status: 'retired', industry: 'Healthcare' });
    const s = assessContact(GLOBEX, context([]), retired);
    expect(s.contact).toBe(retired);
    expect(s.eligible).toBe(false);
    expect(s.score).toBe(WEIGHTS.industry);
    expect(s.reasons).toContain('Same industry: Healthcare');
    expect(s.warnings).toContain('retired');
  });

  it('gives the same verdict as the ranking', () => {
    const candidates = [contact(1, { industry: 'Healthcare' }), contact(2, { region: 'EMEA' })];
    const ctx = context(candidates, { usage: { 2: { asksInWindow: 1, lastAskedAt: daysAgo(40) } } });
    const ranked = rankContacts(GLOBEX, ctx);
    for (const s of ranked.suggestions) expect(assessContact(GLOBEX, ctx, s.contact)).toEqual(s);
  });

  it('lists every rule the contact is over', () => {
    const s = assess(contact(1), BARE, {
      usage: { 1: { asksInWindow: 3, lastAskedAt: daysAgo(2), openAsks: 2, accountAsksInWindow: 5 } },
      rules: { maxAsksPerAccount: 5 },
    });
    expect(s.violations).toEqual([
      'asked 3 times in the last 90 days (limit 3)',
      'asked 2 days ago (the program waits 14 days between asks)',
      'already has 2 open asks',
      'their account was asked 5 times in the last 90 days (limit 5)',
    ]);
    expect(s.eligible).toBe(false);
  });
});
