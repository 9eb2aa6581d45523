import { addDays, differenceInCalendarDays, format, parseISO } from 'date-fns';
import type { RequestStatus } from './request-lifecycle.ts';
import type { Activity } from './vocabulary.ts';

/**
 * The program report: what the reference program did in a period, each figure beside the same
 * figure for the period just before it (same length). Pure: the store reads facts, these
 * functions count them. Dates are UTC.
 */

export const PERIOD_CHOICES = {
  last_30: 'Last 30 days',
  last_90: 'Last 90 days',
  last_365: 'Last 365 days',
  quarter: 'This quarter',
  dates: 'Between two dates',
} as const;
export type PeriodChoiceKey = keyof typeof PERIOD_CHOICES;
export const PERIOD_CHOICE_KEYS = Object.keys(PERIOD_CHOICES) as [PeriodChoiceKey, ...PeriodChoiceKey[]];

export type PeriodChoice =
  | { kind: Exclude<PeriodChoiceKey, 'dates'> }
  | { kind: 'dates'; from: string; to: string };

/** A stretch of time [from, to): ISO instants, `to` excluded. */
export interface Period {
  from: string;
  to: string;
  /** "Last 30 days", "This quarter", "1 Oct 2026 – 31 Oct 2026". */
  label: string;
  /** The first and last calendar day it touches, for dates such as needed-by. */
  firstDay: string;
  lastDay: string;
}

export interface ReportPeriods {
  current: Period;
  previous: Period;
}

const DAY_MS = 86_400_000;
const dayLabel = (day: string) => format(parseISO(day), 'd MMM yyyy');

function period(fromMs: number, toMs: number, label: string | null): Period {
  const from = new Date(fromMs).toISOString();
  const to = new Date(toMs).toISOString();
  const firstDay = from.slice(0, 10);
  // The last instant inside the period names its last day.
  const lastDay = new Date(Math.max(fromMs, toMs - 1)).toISOString().slice(0, 10);
  return { from, to, label: label ?? `${dayLabel(firstDay)} – ${dayLabel(lastDay)}`, firstDay, lastDay };
}

/** The chosen period ending now (or on the last chosen date), and the period of the same length before it. */
export function reportPeriods(choice: PeriodChoice, now: Date): ReportPeriods {
  const end = now.getTime();
  let fromMs: number;
  let toMs = end;
  switch (choice.kind) {
    case 'last_30':
    case 'last_90':
    case 'last_365':
      fromMs = end - Number(choice.kind.slice(5)) * DAY_MS;
      break;
    case 'quarter':
      fromMs = Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1);
      break;
    case 'dates':
      fromMs = Date.parse(`${choice.from}T00:00:00.000Z`);
      toMs = Date.parse(`${choice.to}T00:00:00.000Z`) + DAY_MS;
      break;
  }
  const label = choice.kind === 'dates' ? null : PERIOD_CHOICES[choice.kind];
  const length = Math.max(toMs - fromMs, 1);
  return { current: period(fromMs, toMs, label), previous: period(fromMs - length, fromMs, null) };
}

/** Why two dates cannot make a period, or null when they can. */
export function datesProblem(from: string, to: string, today: string): { from?: string; to?: string } | null {
  if (from > to) return { to: 'Pick a date on or after the first one.' };
  if (to > today) return { to: 'Pick today or an earlier date.' };
  if (differenceInCalendarDays(parseISO(to), parseISO(from)) > 3 * 366)
    return { from: 'Pick at most three years.' };
  return null;
}

/** One figure in the period and in the period before it. */
export interface Compared {
  current: number;
  previous: number;
}

/**
 * Median and 90th percentile of durations, in hours, each interpolated between the two nearest values (the
 * median of an even count is the mean of the two middle ones); null when there is nothing to measure.
 */
export interface DurationStats {
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
}

// --- what the store reads: facts about both periods at once ---

/** Requests submitted in either period, by status and activity. */
export interface StatusFact {
  status: RequestStatus;
  activity: Activity;
  current: number;
  previous: number;
}

export interface CountedFact<K> {
  key: K;
  current: number;
  previous: number;
}

/** The prospect's segments a rep gives on an ask. */
export const SEGMENTS = {
  industry: 'Industry',
  product: 'Product',
  region: 'Region',
  companySize: 'Company size',
} as const;
export type Segment = keyof typeof SEGMENTS;

export interface SegmentFact extends CountedFact<string> {
  segment: Segment;
}

export interface ReasonFact {
  reason: string;
  count: number;
}

/** Durations that ended in each period. */
export interface ComparedDurations {
  current: DurationStats;
  previous: DurationStats;
}

/** An account owner's answers in the period. */
export interface OwnerStats {
  ownerId: string;
  stats: DurationStats;
}

export interface OnTimeFact {
  /** Requests needed by a day in the period. */
  due: Compared;
  /** Of those, how many had a contact agreed on or before that day. */
  fulfilled: Compared;
}

export interface ContactFact {
  contactId: number;
  name: string | null;
  account: string;
  current: number;
  previous: number;
  /** Of the contact's asks approved in the period: how many their owner answered, and declined or could not ask. */
  answered: number;
  ownerDeclined: number;
  /** The average rating reps gave the references of those asks; null when none is rated. */
  averageRating: number | null;
}

export interface CapFact {
  contactId: number;
  name: string | null;
  account: string;
  asks: number;
}

export interface OutcomeFacts {
  held: Compared;
  ratingSum: Compared;
  rated: Compared;
  movedDeal: Compared;
  movedAnswered: Compared;
  won: Compared;
  lost: Compared;
  wonAmount: Compared;
  /** Won deals recorded with an amount (the average deal size is over these). */
  wonPriced: Compared;
}

export interface NominationFacts {
  /** Nominations made in each period. */
  received: Compared;
  /** Accepted or declined in each period. */
  accepted: Compared;
  declined: Compared;
  /** Waiting for a decision now, and of those, how many for over a week. */
  pending: number;
  aging: number;
}

/** A nomination waiting longer than this many days is aging. */
export const AGING_NOMINATION_DAYS = 7;

/** A team of reps: a Slack user group and its members. */
export interface Team {
  id: string;
  name: string;
  members: readonly string[];
}

/** Which asks a report counts (null: any). */
export interface ReportFilters {
  activity: Activity | null;
  industry: string | null;
  region: string | null;
  product: string | null;
  team: Team | null;
}

export const NO_FILTERS: ReportFilters = {
  activity: null,
  industry: null,
  region: null,
  product: null,
  team: null,
};

/** Whether any filter is on (of a report's filters too, whose team has no members). */
export const isFiltered = (f: { [K in keyof ReportFilters]: unknown }): boolean =>
  Object.values(f).some((v) => v !== null);

export interface ReportFacts {
  statuses: StatusFact[];
  ownerDeclined: Compared;
  denialReasons: ReasonFact[];
  segments: SegmentFact[];
  /** Every rep who asked in either period. */
  reps: CountedFact<string>[];
  decisions: ComparedDurations;
  ownerAnswers: ComparedDurations;
  secured: ComparedDurations;
  slowestOwners: OwnerStats[];
  onTime: OnTimeFact;
  dueSoon: number;
  mostAsked: ContactFact[];
  nearCaps: { contacts: CapFact[]; total: number };
  /** Contacts active now who were not asked in the period. */
  neverAsked: Compared;
  outcomes: OutcomeFacts;
  nominations: NominationFacts;
  /** The imported pipeline's closed deals; null when no pipeline is loaded. */
  winRate: WinRateFacts | null;
}

// --- win rate with and without a held reference ---

/** Fewer closed deals than this on one side of a comparison is a small sample: shown, and marked so. */
export const SMALL_SAMPLE = 10;

/** The days a closed deal's close date may fall on to count: the trailing 12 months ending today (UTC). */
export function trailingYear(now: Date): { firstDay: string; lastDay: string } {
  const yearAgo = new Date(now.getTime());
  yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
  return {
    firstDay: new Date(yearAgo.getTime() + DAY_MS).toISOString().slice(0, 10),
    lastDay: now.toISOString().slice(0, 10),
  };
}

/** The closed deals of the whole pipeline (segment null) or of one segment value, with or without a held reference. */
export interface DealFact {
  segment: Segment | null;
  key: string | null;
  held: boolean;
  closed: number;
  won: number;
  wonAmount: number;
  /** Deals with both dates (created and closed), and their median days from one to the other. */
  timed: number;
  medianDays: number | null;
}

export interface WinRateFacts {
  /** The pipeline's currency (one per pipeline: a mixed-currency file is refused). */
  currency: string;
  deals: DealFact[];
}

/** Closed deals on one side of a comparison, and what they add up to. */
export interface DealFigures {
  closed: number;
  won: number;
  /** Won of closed; null when none closed. */
  winRate: number | null;
  wonAmount: number;
  /** Over won deals; null when none was won. */
  averageWon: number | null;
  timed: number;
  medianDays: number | null;
  /** Fewer than SMALL_SAMPLE closed deals. */
  smallSample: boolean;
}

export interface WithWithout {
  withReference: DealFigures;
  withoutReference: DealFigures;
}

export interface SegmentWinRate extends WithWithout {
  key: string;
  /** Both sides together: what the segments are ranked by. */
  closed: number;
}

/** Win rate, deal size and time to close of deals that had a held reference against those that had none. */
export interface WinRateSection {
  /** Close dates counted: the trailing 12 months, whatever the report's period. */
  firstDay: string;
  lastDay: string;
  currency: string;
  overall: WithWithout;
  /** Per segment, the values with the most closed deals. */
  bySegment: Record<Segment, SegmentWinRate[]>;
  /** Won amount of the deals that had a held reference, as the pipeline says. */
  influencedRevenue: { amount: number; deals: number };
}

const NO_DEALS = { closed: 0, won: 0, wonAmount: 0, timed: 0, medianDays: null };

function dealFigures(
  f: Pick<DealFact, 'closed' | 'won' | 'wonAmount' | 'timed' | 'medianDays'>,
): DealFigures {
  return {
    closed: f.closed,
    won: f.won,
    winRate: f.closed === 0 ? null : f.won / f.closed,
    wonAmount: f.wonAmount,
    averageWon: average(f.wonAmount, f.won),
    timed: f.timed,
    medianDays: f.medianDays,
    smallSample: f.closed < SMALL_SAMPLE,
  };
}

function withWithout(facts: readonly DealFact[]): WithWithout {
  const side = (held: boolean) => dealFigures(facts.find((f) => f.held === held) ?? NO_DEALS);
  return { withReference: side(true), withoutReference: side(false) };
}

/** The win-rate section: overall, and the `TOP` values of each segment by closed deals (ties by name). */
export function winRateSection(facts: WinRateFacts, now: Date): WinRateSection {
  const bySegment = (segment: Segment): SegmentWinRate[] => {
    const values = new Map<string, DealFact[]>();
    for (const f of facts.deals)
      if (f.segment === segment && f.key !== null) values.set(f.key, [...(values.get(f.key) ?? []), f]);
    return [...values]
      .map(([key, deals]) => ({
        key,
        closed: deals.reduce((n, f) => n + f.closed, 0),
        ...withWithout(deals),
      }))
      .sort((a, b) => b.closed - a.closed || a.key.localeCompare(b.key))
      .slice(0, TOP);
  };
  const overall = withWithout(facts.deals.filter((f) => f.segment === null));
  return {
    ...trailingYear(now),
    currency: facts.currency,
    overall,
    bySegment: {
      industry: bySegment('industry'),
      product: bySegment('product'),
      region: bySegment('region'),
      companySize: bySegment('companySize'),
    },
    influencedRevenue: { amount: overall.withReference.wonAmount, deals: overall.withReference.won },
  };
}

// --- the report ---

/** How a request ended up, as the report counts it; fulfilled means an owner secured the contact. */
export const REPORT_STATUSES = {
  fulfilled: 'Fulfilled (owner agreed)',
  denied: 'Denied by managers',
  cancelled: 'Cancelled',
  expired: 'Expired',
  open: 'Still open',
} as const;
export type ReportStatus = keyof typeof REPORT_STATUSES;

export const reportStatusOf = (status: RequestStatus): ReportStatus => {
  switch (status) {
    case 'agreed':
    case 'completed':
    case 'not_held':
      return 'fulfilled';
    case 'submitted':
    case 'awaiting_owner':
      return 'open';
    default:
      return status;
  }
};

export interface ProgramReport {
  periods: ReportPeriods;
  /** Which asks it counts; the team without its members. */
  filters: Omit<ReportFilters, 'team'> & { team: { id: string; name: string } | null };
  /** When it was worked out (ISO). */
  at: string;
  volume: {
    total: Compared;
    byStatus: Record<ReportStatus, Compared>;
    ownerDeclined: Compared;
    topDenialReasons: ReasonFact[];
    byActivity: CountedFact<Activity>[];
    /** Per segment, its five commonest values in the period. */
    bySegment: Record<Segment, CountedFact<string>[]>;
    topReps: CountedFact<string>[];
    /** The teams (user groups) whose reps asked most; a rep in two teams counts in both. */
    topTeams: CountedFact<{ id: string; name: string }>[];
  };
  turnaround: {
    toDecision: ComparedDurations;
    toOwnerAnswer: ComparedDurations;
    toSecured: ComparedDurations;
    onTime: OnTimeFact;
    dueSoon: number;
    /** The account owners slowest to answer in the period, by their median answer time. */
    slowestOwners: OwnerStats[];
  };
  contacts: {
    mostAsked: ContactFact[];
    nearCaps: { contacts: CapFact[]; total: number };
    neverAsked: Compared;
    /** An ask count at or above this is "near" the cap (one ask short of it, or at it). */
    nearThreshold: number;
    cap: number;
    windowDays: number;
  };
  outcomes: {
    held: Compared;
    averageRating: { current: number | null; previous: number | null };
    rated: Compared;
    movedDeal: Compared;
    movedAnswered: Compared;
    won: Compared;
    lost: Compared;
    influencedRevenue: Compared;
    averageDealSize: { current: number | null; previous: number | null };
  };
  nominations: NominationFacts;
  /** With a pipeline loaded: deals closed in the trailing 12 months with vs without a held reference. */
  winRate: WinRateSection | null;
}

const average = (sum: number, count: number): number | null => (count === 0 ? null : sum / count);

const TOP = 5;

/** The first `TOP` of these facts by their current figure, ties by key; only those with one. */
function topOf<K>(facts: readonly CountedFact<K>[], key: (k: K) => string): CountedFact<K>[] {
  return facts
    .filter((f) => f.current > 0)
    .sort((a, b) => b.current - a.current || key(a.key).localeCompare(key(b.key)))
    .slice(0, TOP)
    .map(({ key: k, current, previous }) => ({ key: k, current, previous }));
}

/** Per segment, its five commonest values in the period. */
function topSegments(facts: readonly SegmentFact[]): Record<Segment, CountedFact<string>[]> {
  const top = (segment: Segment) =>
    topOf(
      facts.filter((f) => f.segment === segment),
      (k) => k,
    );
  return {
    industry: top('industry'),
    product: top('product'),
    region: top('region'),
    companySize: top('companySize'),
  };
}

/** Each team's asks: the sum of its reps' asks. */
function topTeams(reps: readonly CountedFact<string>[], teams: readonly Team[]) {
  const byRep = new Map(reps.map((r) => [r.key, r]));
  const counted = teams.map((team) => {
    const total = { key: { id: team.id, name: team.name }, current: 0, previous: 0 };
    for (const member of new Set(team.members)) {
      total.current += byRep.get(member)?.current ?? 0;
      total.previous += byRep.get(member)?.previous ?? 0;
    }
    return total;
  });
  return topOf(counted, (k) => k.name);
}

/** The contacts one ask short of their cap (or at it) count as near it. */
export const nearCapThreshold = (cap: number): number => Math.max(1, cap - 1);

export function buildReport(
  facts: ReportFacts,
  context: {
    periods: ReportPeriods;
    filters: ReportFilters;
    teams: readonly Team[];
    rules: { maxAsksPerContact: number; windowDays: number };
    now: Date;
  },
): ProgramReport {
  const { periods, filters, teams, rules, now } = context;
  const byStatus = Object.fromEntries(
    Object.keys(REPORT_STATUSES).map((k) => [k, { current: 0, previous: 0 }]),
  ) as Record<ReportStatus, Compared>;
  const total = { current: 0, previous: 0 };
  const byActivity = new Map<Activity, CountedFact<Activity>>();
  for (const fact of facts.statuses) {
    const activity = byActivity.get(fact.activity) ?? { key: fact.activity, current: 0, previous: 0 };
    activity.current += fact.current;
    activity.previous += fact.previous;
    byActivity.set(fact.activity, activity);
    const into = byStatus[reportStatusOf(fact.status)];
    into.current += fact.current;
    into.previous += fact.previous;
    total.current += fact.current;
    total.previous += fact.previous;
  }
  const o = facts.outcomes;
  return {
    periods,
    filters: { ...filters, team: filters.team && { id: filters.team.id, name: filters.team.name } },
    at: now.toISOString(),
    volume: {
      total,
      byStatus,
      ownerDeclined: facts.ownerDeclined,
      topDenialReasons: facts.denialReasons,
      byActivity: [...byActivity.values()].sort(
        (a, b) => b.current - a.current || a.key.localeCompare(b.key),
      ),
      bySegment: topSegments(facts.segments),
      topReps: topOf(facts.reps, (k) => k),
      topTeams: topTeams(facts.reps, teams),
    },
    turnaround: {
      toDecision: facts.decisions,
      toOwnerAnswer: facts.ownerAnswers,
      toSecured: facts.secured,
      onTime: facts.onTime,
      dueSoon: facts.dueSoon,
      slowestOwners: facts.slowestOwners,
    },
    contacts: {
      mostAsked: facts.mostAsked,
      nearCaps: facts.nearCaps,
      neverAsked: facts.neverAsked,
      nearThreshold: nearCapThreshold(rules.maxAsksPerContact),
      cap: rules.maxAsksPerContact,
      windowDays: rules.windowDays,
    },
    outcomes: {
      held: o.held,
      averageRating: {
        current: average(o.ratingSum.current, o.rated.current),
        previous: average(o.ratingSum.previous, o.rated.previous),
      },
      rated: o.rated,
      movedDeal: o.movedDeal,
      movedAnswered: o.movedAnswered,
      won: o.won,
      lost: o.lost,
      influencedRevenue: o.wonAmount,
      averageDealSize: {
        current: average(o.wonAmount.current, o.wonPriced.current),
        previous: average(o.wonAmount.previous, o.wonPriced.previous),
      },
    },
    nominations: facts.nominations,
    winRate: facts.winRate && winRateSection(facts.winRate, now),
  };
}

/** The last day an ask open now may be needed by to count as "due within 72 hours". */
export const dueSoonUntil = (now: Date): string => addDays(now, 3).toISOString().slice(0, 10);
