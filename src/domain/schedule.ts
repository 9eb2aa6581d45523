import { TZDate } from '@date-fns/tz';
import { addBusinessDays, addDays, isWeekend, parseISO, set } from 'date-fns';
import { localDate, validZone } from './dates.ts';

/** The lifecycle's timing; all of it is configuration, these are the defaults. */
export interface LifecyclePolicy {
  /** Business days an account owner has to answer before each reminder. */
  reminderBusinessDays: number;
  /** Reminders before the managers are told. */
  maxReminders: number;
  /** "Remind me in N days" on a nudge. */
  snoozeBusinessDays: number;
  /** Local hour at which the rep is asked "Did it happen?". */
  followupHour: number;
}

export const DEFAULT_LIFECYCLE: LifecyclePolicy = Object.freeze({
  reminderBusinessDays: 2,
  maxReminders: 2,
  snoozeBusinessDays: 2,
  followupHour: 9,
});

/** `days` business days after `from`, counted on the calendar of `tz` (weekends skipped there). */
export function addBusinessDaysIn(from: Date, days: number, tz: string | null | undefined): Date {
  return new Date(addBusinessDays(new TZDate(from, validZone(tz)), days).getTime());
}

/** What an ask waiting on its account owner owes: a reminder, an escalation to the managers, or nothing yet. */
export type OwnerStep = { kind: 'remind' | 'escalate'; dueAt: Date } | null;

export interface WaitingAsk {
  approvedAt: string;
  remindersSent: number;
  lastRemindedAt: string | null;
  remindAfter: string | null;
  escalatedAt: string | null;
}

/** The next thing due for an unanswered ask, and when; `null` once the managers were told. */
export function nextOwnerStep(ask: WaitingAsk, tz: string | null, policy: LifecyclePolicy): OwnerStep {
  if (ask.escalatedAt) return null;
  const since = parseISO(ask.lastRemindedAt ?? ask.approvedAt);
  let dueAt = addBusinessDaysIn(since, policy.reminderBusinessDays, tz);
  if (ask.remindAfter && parseISO(ask.remindAfter) > dueAt) dueAt = parseISO(ask.remindAfter);
  return { kind: ask.remindersSent < policy.maxReminders ? 'remind' : 'escalate', dueAt };
}

/** A waiting request expires once its needed-by date is over on the rep's calendar (UTC when unknown). */
export const hasExpired = (neededBy: string, now: Date, repTimeZone: string | null = null): boolean =>
  neededBy < localDate(now, repTimeZone);

/** The zone whose calendar is furthest ahead: no needed-by date is over anywhere before it is over there. */
export const EARLIEST_CALENDAR = 'Pacific/Kiritimati';

/**
 * When to ask the rep "Did it happen?": on the date they chose, or the business day after
 * the needed-by date, at `followupHour` in their time zone.
 */
export function followupAt(
  neededBy: string,
  chosen: string | null,
  tz: string | null,
  policy: LifecyclePolicy,
): Date {
  const z = validZone(tz);
  const [y, m, d] = (chosen ?? neededBy).split('-').map(Number) as [number, number, number];
  let day = new TZDate(y, m - 1, d, z);
  if (!chosen) {
    day = addDays(day, 1);
    while (isWeekend(day)) day = addDays(day, 1);
  }
  return new Date(
    set(day, { hours: policy.followupHour, minutes: 0, seconds: 0, milliseconds: 0 }).getTime(),
  );
}
