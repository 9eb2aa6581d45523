import { subDays } from 'date-fns';
import { z } from 'zod';
import { isIsoDate, localDate } from '../domain/dates.ts';
import type { ProgramRules } from '../domain/program-rules.ts';
import {
  AGING_NOMINATION_DAYS,
  buildReport,
  datesProblem,
  dueSoonUntil,
  NO_FILTERS,
  nearCapThreshold,
  PERIOD_CHOICE_KEYS,
  type PeriodChoice,
  type ProgramReport,
  type ReportFilters,
  reportPeriods,
  type Team,
  trailingYear,
} from '../domain/report.ts';
import { ACTIVITY_KEYS } from '../domain/vocabulary.ts';
import { InputError, NotAllowedError } from '../errors.ts';
import { type Db, isPostgres } from '../store/database.ts';
import type { ReportRange, ReportStore } from '../store/report-store.ts';

const TOP_REASONS = 3;
const TOP_OWNERS = 5;
const TOP_CONTACTS = 5;
const NEAR_CAPS_LISTED = 10;

/** Who asks for the report, with whether they may see it (managers and REPORT_VIEWERS), checked on the server. */
export interface ReportViewer {
  id: string;
  canViewReports: boolean;
}

export const REPORTS_ARE_FOR_MANAGERS =
  'Program reports are for reference managers (and the people in REPORT_VIEWERS). Ask a reference manager if you need the figures.';

/** The period picker's fields: a choice, and two dates when the choice is "between two dates". */
const periodSchema = z
  .object({
    period: z.enum(PERIOD_CHOICE_KEYS, 'Pick a period.').default('last_30'),
    from: z.string().nullish(),
    to: z.string().nullish(),
  })
  .transform((input, ctx): PeriodChoice => {
    if (input.period !== 'dates') return { kind: input.period };
    for (const field of ['from', 'to'] as const) {
      const value = input[field];
      if (!value || !isIsoDate(value))
        ctx.addIssue({ code: 'custom', path: [field], message: 'Pick a date.' });
    }
    return { kind: 'dates', from: input.from ?? '', to: input.to ?? '' };
  });

/** A filter's field: a value, or nothing (the picker's "any"). */
const anyOr = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' || v === 'any' || v === undefined ? null : v), schema.nullable());

/** The filters' fields: an activity, a segment value, a team (user group id). */
const filtersSchema = z.object({
  activity: anyOr(z.enum(ACTIVITY_KEYS, 'Pick an activity.')),
  industry: anyOr(z.string().max(75)),
  region: anyOr(z.string().max(75)),
  product: anyOr(z.string().max(75)),
  team: anyOr(z.string().max(32)),
});

export interface ReportServiceDeps {
  db: Db;
  store: ReportStore;
  rules: ProgramRules;
  now: () => Date;
}

/** The program report: who may see it, which period, and its figures. */
export class ReportService {
  constructor(private readonly deps: ReportServiceDeps) {}

  authorize(viewer: ReportViewer): void {
    if (!viewer.canViewReports) throw new NotAllowedError(REPORTS_ARE_FOR_MANAGERS);
  }

  /** The period the picker's input names; an InputError on the field that is wrong. */
  period(input: unknown): PeriodChoice {
    const parsed = periodSchema.safeParse(input ?? {});
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'period')] ??= issue.message;
      throw new InputError(errors);
    }
    const choice = parsed.data;
    if (choice.kind === 'dates') {
      const problem = datesProblem(choice.from, choice.to, localDate(this.deps.now(), 'UTC'));
      if (problem) throw new InputError(problem);
    }
    return choice;
  }

  /** The filters `input` names; the team must be one of `teams`. An InputError on the field that is wrong. */
  filters(input: unknown, teams: readonly Team[]): ReportFilters {
    const parsed = filtersSchema.safeParse(input ?? {});
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'activity')] ??= issue.message;
      throw new InputError(errors);
    }
    const { team: teamId, ...rest } = parsed.data;
    const team = teamId === null ? null : teams.find((t) => t.id === teamId);
    if (team === undefined) throw new InputError({ team: 'That team is no longer in Slack: pick another.' });
    return { ...rest, team };
  }

  /**
   * The report for the period and filters `input` names, against the period of the same length before it.
   * `teams` are the workspace's user groups: the team filter picks one, and the report ranks them.
   */
  async report(viewer: ReportViewer, input: unknown, teams: readonly Team[] = []): Promise<ProgramReport> {
    this.authorize(viewer);
    return this.programReport(input, teams);
  }

  /** The same report for refdesk's own use (the digest, the managers' Home, exports): nobody's role to check. */
  async programReport(input: unknown, teams: readonly Team[] = []): Promise<ProgramReport> {
    const choice = this.period(input);
    const f = input ? this.filters(input, teams) : NO_FILTERS;
    const { db, store, rules } = this.deps;
    const now = this.deps.now();
    const periods = reportPeriods(choice, now);
    const range: ReportRange = {
      previousFrom: periods.previous.from,
      from: periods.current.from,
      to: periods.current.to,
    };
    // Slowest first, so the lanes finish close together.
    const facts = await inLanes(isPostgres(db) ? 2 : 1, {
      segments: () => store.segments(db, range, f),
      ownerAnswers: () => store.ownerAnswers(db, range, f),
      decisions: () => store.decisions(db, range, f),
      secured: () => store.secured(db, range, f),
      neverAsked: () => store.neverAsked(db, range),
      slowestOwners: () => store.slowestOwners(db, range, f, TOP_OWNERS),
      ownerDeclined: () => store.ownerDeclined(db, range, f),
      onTime: () => store.onTime(db, range, f),
      statuses: () => store.statuses(db, range, f),
      reps: () => store.requesters(db, range, f),
      mostAsked: () => store.mostAsked(db, range, f, TOP_CONTACTS),
      denialReasons: () => store.denialReasons(db, range, f, TOP_REASONS),
      nearCaps: () =>
        store.nearCaps(
          db,
          subDays(now, rules.windowDays).toISOString(),
          nearCapThreshold(rules.maxAsksPerContact),
          NEAR_CAPS_LISTED,
        ),
      outcomes: () => store.outcomes(db, range, f),
      dueSoon: () => store.dueSoon(db, f, localDate(now, 'UTC'), dueSoonUntil(now)),
      nominations: () => store.nominations(db, range, subDays(now, AGING_NOMINATION_DAYS).toISOString()),
      // About deals, not asks: the trailing year whatever the period, and no filter.
      winRate: () => store.winRate(db, trailingYear(now)),
    });
    return buildReport(facts, { periods, filters: f, teams, rules, now });
  }
}

type Settled<T> = { [K in keyof T]: T[K] extends () => Promise<infer R> ? R : never };

/**
 * Runs every query of `tables`, `lanes` at a time, in the order given. PostgreSQL answers two at once on two
 * of the pool's connections (a 365-day report on 200,000 asks: 2.2 -> 1.3-1.5 s, measured) and leaves the
 * rest of the pool to everyone else. SQLite has one connection: there a second lane only adds waiting.
 */
async function inLanes<T extends Record<string, () => Promise<unknown>>>(
  lanes: number,
  tables: T,
): Promise<Settled<T>> {
  const queue = Object.entries(tables);
  const results: Record<string, unknown> = {};
  const lane = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) results[next[0]] = await next[1]();
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return results as Settled<T>;
}
