import {
  type MatchCandidate,
  type MatchContext,
  type MatchCriteria,
  type MatchResult,
  rankContacts,
  type Suggestion,
} from '../../../src/domain/matching.ts';
import { DEFAULT_RULES, NO_USAGE } from '../../../src/domain/program-rules.ts';
import { LIMITS } from '../../../src/domain/request-draft.ts';
import { ACTIVITY_KEYS, activityMask } from '../../../src/domain/vocabulary.ts';
import { hostile, worstRequest } from './request-details.ts';

/** Hand-built matcher output for the view builders: a realistic set and a worst case. */

export function candidate(id: number, patch: Partial<MatchCandidate> = {}): MatchCandidate {
  const activities = patch.activities ?? ['reference_call'];
  return {
    id,
    name: `Contact ${id}`,
    title: null,
    accountId: id,
    accountName: `Account ${id}`,
    industry: null,
    region: null,
    companySize: 'Enterprise',
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

export const janeSuggestion: Suggestion = {
  contact: candidate(7, {
    name: 'Jane Doe',
    title: 'CFO',
    accountId: 1,
    accountName: 'Acme Health',
    industry: 'Healthcare',
    region: 'EMEA',
    companySize: '1000-4999',
    products: ['Analytics', 'Billing'],
    seniority: 'c_level',
    customerSince: '2021-03-01',
    activities: ['reference_call', 'case_study'],
  }),
  score: 96,
  reasons: [
    'Same industry: Healthcare',
    'Uses Analytics',
    'EMEA',
    'C-level for a C-level',
    'Customer for 5 years',
  ],
  warnings: [],
  violations: [],
  eligible: true,
};

export const rajSuggestion: Suggestion = {
  contact: candidate(8, {
    name: 'Raj Patel',
    title: 'Director of IT',
    accountId: 1,
    accountName: 'Acme Health',
  }),
  score: 70,
  reasons: ['Same industry: Healthcare', '1 ask in the last 90 days'],
  warnings: ['asked 12 days ago', 'already has an open ask'],
  violations: ['asked 12 days ago (the program waits 14 days between asks)', 'already has an open ask'],
  eligible: false,
};

export const kimSuggestion: Suggestion = {
  contact: candidate(9, { name: null, title: null, accountId: 2, accountName: 'Globex' }),
  score: 41.5,
  reasons: ['No asks in the last 90 days'],
  warnings: ['different region (APAC)', 'already spoke with Globex Corp'],
  violations: [],
  eligible: true,
};

export const realisticMatches: MatchResult = {
  suggestions: [janeSuggestion, rajSuggestion, kimSuggestion],
  relaxed: null,
  unmet: [],
  eligibleCount: 2,
};

// --- the worst case: every text at its limit and full of markup ---

const worstProducts = Array.from({ length: LIMITS.products }, (_, i) => hostile(LIMITS.option, `P${i}`));

export function worstCandidate(i: number): MatchCandidate {
  return candidate(999_999_900 + i, {
    name: hostile(200, `NAME${i}`),
    title: hostile(200, `TITLE${i}`),
    accountId: 999_999_900 + i,
    accountName: hostile(200, `ACCT${i}`),
    industry: hostile(LIMITS.option, `IND${i}`),
    region: hostile(LIMITS.option, `REG${i}`),
    companySize: hostile(LIMITS.option, `SIZE${i}`),
    products: worstProducts,
    seniority: 'c_level',
    customerSince: '2001-01-01',
    activities: [...ACTIVITY_KEYS],
    status: 'paused',
    pausedUntil: '2026-12-31',
    pauseReason: hostile(LIMITS.reason, `PAUSE${i}`),
  });
}

/** Every reason, warning and violation the matcher can give, each with the longest user text in it. */
export function worstSuggestion(i: number): Suggestion {
  const c = worstCandidate(i);
  return {
    contact: c,
    score: -1234.5,
    reasons: [
      `Same industry: ${c.industry}`,
      `Uses ${worstProducts.join(', ')}`,
      c.region!,
      `Same size: ${c.companySize}`,
      'C-level for a C-level',
      'Customer for 25 years',
      '99 asks in the last 90 days',
      'Rated 5.0/5 by reps',
    ],
    warnings: [
      `different industry (${c.industry})`,
      `does not use ${worstProducts.join(' or ')}`,
      `different region (${c.region})`,
      `different size (${c.companySize})`,
      'Practitioner for a C-level',
      'asked today',
      'already has an open ask',
      `already spoke with ${worstRequest.prospect}`,
      'has not agreed to a analyst briefing',
      `paused until ${c.pausedUntil}: ${c.pauseReason}`,
      'retired',
    ],
    violations: [
      'asked 99 times in the last 90 days (limit 3)',
      'asked today (the program waits 14 days between asks)',
      'already has 99 open asks',
      'their account was asked 999 times in the last 90 days (limit 5)',
    ],
    eligible: false,
  };
}

/** `count` worst suggestions, with a relaxed filter and unmet notes that name the longest criteria. */
export function worstMatches(count: number): MatchResult {
  return {
    suggestions: Array.from({ length: count }, (_, i) => worstSuggestion(i)),
    relaxed: {
      filter: 'rules',
      message:
        'Everyone who does a analyst briefing was asked too often lately; a manager can still approve one with an override.',
    },
    unmet: [
      `No contact in ${worstRequest.industry} fits`,
      `No contact using ${worstRequest.products.join(' or ')} fits`,
      `No contact in ${worstRequest.region} fits`,
      `No contact of size ${worstRequest.companySize} fits`,
      'No Practitioner fits',
    ],
    eligibleCount: 0,
  };
}

/** What the real matcher says for the worst request over worst contacts, everyone over the rules. */
export function matcherWorst(count: number): MatchResult {
  const candidates = Array.from({ length: count }, (_, i) => ({
    ...worstCandidate(i),
    status: 'active' as const,
  }));
  const criteria: MatchCriteria = {
    activity: worstRequest.activity,
    industry: worstRequest.industry,
    products: worstRequest.products,
    region: worstRequest.region,
    companySize: worstRequest.companySize,
    seniority: worstRequest.seniority,
    prospect: worstRequest.prospect,
  };
  const ctx: MatchContext = {
    candidates,
    usage: () => ({ ...NO_USAGE, asksInWindow: 99, lastAskedAt: '2026-11-22T08:00:00.000Z', openAsks: 2 }),
    rating: () => ({ average: 1, count: 3 }),
    spokeWithProspect: new Set(candidates.map((c) => c.id)),
    rules: DEFAULT_RULES,
    now: new Date('2026-11-22T12:00:00.000Z'),
  };
  return rankContacts(criteria, ctx, count);
}
