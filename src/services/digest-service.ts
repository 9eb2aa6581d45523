import { addDays, format, parseISO, subDays } from 'date-fns';
import { localDate } from '../domain/dates.ts';
import { type DigestSchedule, digestWeek, dueDigest } from '../domain/digest-schedule.ts';
import { type ProgramReport, reportStatusOf } from '../domain/report.ts';
import type { RequestStatus } from '../domain/request-lifecycle.ts';
import type { Db } from '../store/database.ts';
import type { DigestStore } from '../store/digest-store.ts';
import type { ReportService } from './report-service.ts';
import type { UnitOfWork } from './unit-of-work.ts';

/** Weeks in the digest's chart. */
export const DIGEST_WEEKS = 12;
const AGING_DAYS = 7;

export interface DigestWeekFigures {
  /** Monday-or-whatever day the week starts (YYYY-MM-DD). */
  weekStart: string;
  asks: number;
  fulfilled: number;
}

/** What the weekly digest says: the week against the week before, and the asks of the last 12 weeks. */
export interface WeeklyDigest {
  sentOn: string;
  report: ProgramReport;
  weeks: DigestWeekFigures[];
  agingNominations: number;
}

export interface DigestDeps {
  db: Db;
  work: UnitOfWork;
  store: DigestStore;
  reports: ReportService;
  /** null: DIGEST_ENABLED=false. */
  schedule: DigestSchedule | null;
  now: () => Date;
}

/**
 * The weekly digest in the managers' channel: queued through the outbox once per week (the week's
 * row is written with the message), and its figures worked out when it is sent.
 */
export class DigestService {
  constructor(private readonly deps: DigestDeps) {}

  /** Queues this week's digest when its moment has come and nobody queued it yet; true when this call did. */
  async queueIfDue(): Promise<boolean> {
    const { schedule } = this.deps;
    if (!schedule) return false;
    const sentOn = dueDigest(this.deps.now(), schedule);
    return sentOn !== null && this.queue(sentOn, true);
  }

  /**
   * `npm run refdesk -- digest --now`: the digest of the seven days before today in `timeZone` (the schedule's
   * when there is one), outside the schedule.
   */
  async queueNow(timeZone = this.deps.schedule?.timeZone ?? 'UTC'): Promise<string> {
    const sentOn = localDate(this.deps.now(), timeZone);
    await this.queue(sentOn, false);
    return sentOn;
  }

  private queue(sentOn: string, once: boolean): Promise<boolean> {
    const at = this.deps.now().toISOString();
    return this.deps.work.run([], async (trx, notify) => {
      if (once && !(await this.deps.store.claim(trx, sentOn, at))) return false;
      notify({ to: 'managers', notification: { type: 'weekly_digest', sentOn } });
      return true;
    });
  }

  /** The digest's figures: the week before `sentOn` against the week before that, and 12 weeks of asks. */
  async contents(sentOn: string): Promise<WeeklyDigest> {
    const { db, store, reports } = this.deps;
    const week = digestWeek(sentOn);
    const lastDay = format(subDays(parseISO(week.to), 1), 'yyyy-MM-dd');
    const report = await reports.programReport({ period: 'dates', from: week.from, to: lastDay });
    const firstWeek = format(subDays(parseISO(week.from), 7 * (DIGEST_WEEKS - 1)), 'yyyy-MM-dd');
    const days = await store.asksPerDay(db, `${firstWeek}T00:00:00.000Z`, `${week.to}T00:00:00.000Z`);
    const weeks: DigestWeekFigures[] = Array.from({ length: DIGEST_WEEKS }, (_, i) => ({
      weekStart: format(addDays(parseISO(firstWeek), 7 * i), 'yyyy-MM-dd'),
      asks: 0,
      fulfilled: 0,
    }));
    for (const { day, status, asks } of days) {
      const index = Math.floor((parseISO(day).getTime() - parseISO(firstWeek).getTime()) / (7 * 86_400_000));
      const bucket = weeks[index];
      if (!bucket) continue;
      bucket.asks += asks;
      if (reportStatusOf(status as RequestStatus) === 'fulfilled') bucket.fulfilled += asks;
    }
    const agingBefore = subDays(this.deps.now(), AGING_DAYS).toISOString();
    return { sentOn, report, weeks, agingNominations: await store.agingNominations(db, agingBefore) };
  }
}
