import { subDays } from 'date-fns';
import { z } from 'zod';
import { isIsoDate, localDate } from '../domain/dates.ts';
import type { ProgramRules } from '../domain/program-rules.ts';
import {
  AGING_NOMINATION_DAYS,
  buildReport,
  datesProblem,
  dueSoonUntil,
  nearCapThreshold,
  PERIOD_CHOICE_KEYS,
  type PeriodChoice,
  type ProgramReport,
  reportPeriods,
} from '../domain/report.ts';
import { InputError, NotAllowedError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import type { ReportRange, ReportStore } from '../store/report-store.ts';

const TOP_REASONS = 3;
const TOP_REPS = 5;
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

  /** The report for the period `input` names, against the period of the same length before it. */
  async report(viewer: ReportViewer, input: unknown): Promise<ProgramReport> {
    this.authorize(viewer);
    return this.programReport(input);
  }

  /** The same report for refdesk's own use (the digest, the managers' Home, exports): nobody's role to check. */
  async programReport(input: unknown): Promise<ProgramReport> {
    const choice = this.period(input);
    const { db, store, rules } = this.deps;
    const now = this.deps.now();
    const periods = reportPeriods(choice, now);
    const range: ReportRange = {
      previousFrom: periods.previous.from,
      from: periods.current.from,
      to: periods.current.to,
    };
    // One after another: SQLite has one connection, and each query is one table of the report.
    const statuses = await store.statuses(db, range);
    const denialReasons = await store.denialReasons(db, range, TOP_REASONS);
    const activities = await store.activities(db, range);
    const segments = await store.segments(db, range);
    const reps = await store.topRequesters(db, range, TOP_REPS);
    const decisions = await store.decisions(db, range);
    const answers = await store.ownerAnswers(db, range);
    const onTime = await store.onTime(db, range);
    const dueSoon = await store.dueSoon(db, localDate(now, 'UTC'), dueSoonUntil(now));
    const mostAsked = await store.mostAsked(db, range, TOP_CONTACTS);
    const nearCaps = await store.nearCaps(
      db,
      subDays(now, rules.windowDays).toISOString(),
      nearCapThreshold(rules.maxAsksPerContact),
      NEAR_CAPS_LISTED,
    );
    const neverAsked = await store.neverAsked(db, range);
    const outcomes = await store.outcomes(db, range);
    const nominations = await store.nominations(db, range, subDays(now, AGING_NOMINATION_DAYS).toISOString());
    return buildReport(
      {
        statuses,
        denialReasons,
        activities,
        segments,
        reps,
        decisions,
        ownerAnswers: answers.answered,
        secured: answers.secured,
        onTime,
        dueSoon,
        mostAsked,
        nearCaps,
        neverAsked,
        outcomes,
        nominations,
      },
      periods,
      rules,
      now,
    );
  }
}
