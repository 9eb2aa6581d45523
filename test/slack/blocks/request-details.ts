import type {
  Account,
  ContactProfile,
  ReferenceAsk,
  ReferenceRequest,
} from '../../../src/domain/reference.ts';
import { type DirectoryFacets, LIMITS } from '../../../src/domain/request-draft.ts';
import type { RequestStatus } from '../../../src/domain/request-lifecycle.ts';
import type { OwnerAnswer } from '../../../src/domain/vocabulary.ts';
import type { RequestDetails } from '../../../src/services/requests/index.ts';

/** Hand-built domain objects for the view builders: a realistic set and a worst case. */

export const REQUESTER = 'U0REP0001';
export const MANAGER = 'U0MGR0001';
export const OWNER = 'U0OWNER01';

/** User text that would ping everybody, impersonate a user or fake a link if it were not escaped. */
export const HOSTILE = '<!channel> <@U999> <http://evil|click> & <!here> ';
export const RAW_MARKUP = ['<!channel>', '<@U999>', '<http://evil', '<!here>'];

/** `HOSTILE` repeated and cut to exactly `length` characters. */
export const hostile = (length: number, tag = ''): string =>
  `${tag}${HOSTILE.repeat(Math.ceil(length / HOSTILE.length) + 1)}`.slice(0, length);

export const realisticAccount: Account = {
  id: 1,
  externalId: 'SF-001',
  name: 'Acme Health',
  industry: 'Healthcare',
  region: 'EMEA',
  companySize: '1000-4999',
  products: ['Analytics', 'Billing'],
  ownerId: OWNER,
};

export const realisticContact: ContactProfile = {
  id: 7,
  accountId: 1,
  name: 'Jane Doe',
  email: 'jane@acme.example',
  title: 'CFO',
  seniority: 'c_level',
  activities: ['reference_call', 'case_study'],
  customerSince: '2021-03-01',
  status: 'active',
  pausedUntil: null,
  pauseReason: null,
  notes: 'Great advocate',
  account: realisticAccount,
};

export const realisticRequest: ReferenceRequest = {
  id: 12,
  requesterId: REQUESTER,
  prospect: 'Globex Corp',
  opportunity: 'OPP-991',
  amount: 250000,
  industry: 'Healthcare',
  products: ['Analytics'],
  region: 'EMEA',
  companySize: '1000-4999',
  seniority: 'c_level',
  activity: 'reference_call',
  neededBy: '2026-12-04',
  context: 'They worry about migrating from their old billing system.\nAlso: how long did onboarding take?',
  preferredContactId: 7,
  status: 'submitted',
  closedBy: null,
  closedAt: null,
  closeReason: null,
  currentAskId: null,
  followupOn: null,
  followupSentAt: null,
  createdAt: '2026-11-22T09:00:00.000Z',
  updatedAt: '2026-11-22T09:00:00.000Z',
};

export const realisticAsk: ReferenceAsk = {
  id: 31,
  requestId: 12,
  contactId: 7,
  ownerId: OWNER,
  round: 1,
  approvedBy: MANAGER,
  approvedAt: '2026-11-22T10:00:00.000Z',
  note: 'Jane prefers mornings.',
  answer: null,
  answeredBy: null,
  answeredAt: null,
  overrideReason: null,
  remindersSent: 0,
  lastRemindedAt: null,
  remindAfter: null,
  escalatedAt: null,
};

export const realisticFacets: DirectoryFacets = {
  industries: ['Healthcare', 'Manufacturing'],
  products: ['Analytics', 'Billing'],
  regions: ['EMEA', 'North America'],
  companySizes: ['1000-4999', 'Enterprise'],
};

/** The details as the service would hand them over for a request in `status`. */
export function detailsAt(
  status: RequestStatus,
  base: { request: ReferenceRequest; ask: ReferenceAsk; contact: ContactProfile },
  answer: OwnerAnswer | null = null,
): RequestDetails {
  const closed = status === 'denied' || status === 'cancelled';
  const hasAsk = status === 'awaiting_owner' || status === 'agreed' || answer !== null;
  const ask: ReferenceAsk = {
    ...base.ask,
    ...(status === 'agreed'
      ? { answer: 'agreed', answeredBy: base.ask.ownerId, answeredAt: '2026-11-23T08:00:00.000Z' }
      : {}),
    ...(answer ? { answer, answeredBy: base.ask.ownerId, answeredAt: '2026-11-23T08:00:00.000Z' } : {}),
  };
  return {
    request: {
      ...base.request,
      status,
      currentAskId: hasAsk ? ask.id : null,
      closedBy: closed ? (status === 'denied' ? MANAGER : base.request.requesterId) : null,
      closedAt: closed ? '2026-11-23T09:00:00.000Z' : null,
      closeReason:
        status === 'denied' ? (base.request.closeReason ?? 'No contact fits this prospect.') : null,
    },
    ask: hasAsk ? ask : null,
    contact: hasAsk ? base.contact : null,
    preferred: base.contact,
    preferredRecentAsks: 2,
    windowDays: 90,
    outcome: null,
  };
}

export const realistic = (status: RequestStatus, answer: OwnerAnswer | null = null): RequestDetails =>
  detailsAt(status, { request: realisticRequest, ask: realisticAsk, contact: realisticContact }, answer);

// --- the worst case: every text at its limit and full of markup ---

export const worstAccount: Account = {
  id: 999_999_999,
  externalId: hostile(100),
  name: hostile(200, 'ACCT'),
  industry: hostile(LIMITS.option, 'IND'),
  region: hostile(LIMITS.option, 'REG'),
  companySize: hostile(LIMITS.option, 'SIZE'),
  products: Array.from({ length: 50 }, (_, i) => hostile(LIMITS.option, `P${i}`)),
  ownerId: 'U0OWNER99999',
};

export const worstContact: ContactProfile = {
  id: 999_999_998,
  accountId: worstAccount.id,
  name: hostile(200, 'NAME'),
  email: `${'a'.repeat(64)}@${'b'.repeat(181)}.example`,
  title: hostile(200, 'TITLE'),
  seniority: 'c_level',
  activities: ['reference_call', 'case_study', 'video_testimonial', 'quote', 'press_interview'],
  customerSince: '2001-01-01',
  status: 'active',
  pausedUntil: null,
  pauseReason: null,
  notes: hostile(2000),
  account: worstAccount,
};

export const worstRequest: ReferenceRequest = {
  id: 999_999_999,
  requesterId: 'U0REQUESTER99',
  prospect: hostile(LIMITS.prospect, 'PROSPECT'),
  opportunity: hostile(LIMITS.opportunity, 'OPP'),
  amount: LIMITS.amount,
  industry: hostile(LIMITS.option, 'IND'),
  products: Array.from({ length: LIMITS.products }, (_, i) => hostile(LIMITS.option, `P${i}`)),
  region: hostile(LIMITS.option, 'REG'),
  companySize: hostile(LIMITS.option, 'SIZE'),
  seniority: 'practitioner',
  activity: 'analyst_briefing',
  neededBy: '2026-12-31',
  context: hostile(LIMITS.context, 'CTX'),
  preferredContactId: worstContact.id,
  status: 'submitted',
  closedBy: null,
  closedAt: null,
  closeReason: hostile(LIMITS.reason, 'REASON'),
  currentAskId: null,
  followupOn: null,
  followupSentAt: null,
  createdAt: '2026-11-22T09:00:00.000Z',
  updatedAt: '2026-11-22T09:00:00.000Z',
};

export const worstAsk: ReferenceAsk = {
  id: 999_999_997,
  requestId: worstRequest.id,
  contactId: worstContact.id,
  ownerId: worstAccount.ownerId,
  round: 99,
  approvedBy: 'U0MANAGER999',
  approvedAt: '2026-11-22T10:00:00.000Z',
  note: hostile(LIMITS.note, 'NOTE'),
  answer: null,
  answeredBy: null,
  answeredAt: null,
  overrideReason: null,
  remindersSent: 0,
  lastRemindedAt: null,
  remindAfter: null,
  escalatedAt: null,
};

/** More than 100 values per facet, each at the option limit and full of markup. */
export const worstFacets: DirectoryFacets = {
  industries: Array.from({ length: 150 }, (_, i) => hostile(LIMITS.option, `I${i}`)),
  products: Array.from({ length: 150 }, (_, i) => hostile(LIMITS.option, `P${i}`)),
  regions: Array.from({ length: 120 }, (_, i) => hostile(LIMITS.option, `R${i}`)),
  companySizes: Array.from({ length: 101 }, (_, i) => hostile(LIMITS.option, `S${i}`)),
};

export const worst = (status: RequestStatus, answer: OwnerAnswer | null = null): RequestDetails =>
  detailsAt(status, { request: worstRequest, ask: worstAsk, contact: worstContact }, answer);

/** Every status, and the submitted one after an owner sent the request back. */
export const CASES: [name: string, status: RequestStatus, answer: OwnerAnswer | null][] = [
  ['submitted', 'submitted', null],
  ['submitted after the owner declined', 'submitted', 'declined'],
  ['submitted after the owner could not ask', 'submitted', 'cannot_ask'],
  ['awaiting_owner', 'awaiting_owner', null],
  ['agreed', 'agreed', null],
  ['denied', 'denied', null],
  ['cancelled', 'cancelled', null],
];

/** Asserts no string Slack parses as mrkdwn contains markup that came from user text. */
export const rawMarkupIn = (strings: string[]): string[] =>
  strings.flatMap((s) => RAW_MARKUP.filter((m) => s.includes(m)).map((m) => `${m} in ${s.slice(0, 80)}…`));
