import { TZDate } from '@date-fns/tz';
import { addDays, format, parseISO, subDays } from 'date-fns';
import { validZone } from './dates.ts';

/** When the weekly digest goes out: a weekday (1 = Monday ... 7 = Sunday), an hour, in a time zone. */
export interface DigestSchedule {
  day: number;
  hour: number;
  timeZone: string;
}

export const DEFAULT_DIGEST_SCHEDULE: DigestSchedule = { day: 1, hour: 9, timeZone: 'UTC' };

/** The moment of the digest of the week (by the schedule's zone) that `now` falls in. */
function digestMomentOfWeek(now: Date, schedule: DigestSchedule): TZDate {
  const zone = validZone(schedule.timeZone);
  const local = new TZDate(now, zone);
  // ISO weekday: Monday 1 ... Sunday 7.
  const weekday = ((local.getDay() + 6) % 7) + 1;
  const day = addDays(local, schedule.day - weekday);
  return new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), schedule.hour, 0, 0, zone);
}

/** How long after its moment a digest still goes out (a bot that was down at the hour, a slow pass). */
const LATE_BY_AT_MOST_MS = 24 * 3_600_000;

/**
 * The digest due at `now`: its date (YYYY-MM-DD, the local day it is sent on, which names the week) from
 * this week's moment for a day, or null outside that. A bot down at the hour sends it once back that
 * day, not days later; one started mid-week waits for the next one. The week's row in the database
 * makes sure it is sent once.
 */
export function dueDigest(now: Date, schedule: DigestSchedule): string | null {
  const moment = digestMomentOfWeek(now, schedule);
  const late = now.getTime() - moment.getTime();
  return late >= 0 && late < LATE_BY_AT_MOST_MS ? format(moment, 'yyyy-MM-dd') : null;
}

/** The seven days a digest sent on `sentOn` covers: the week before it, [from, to) as YYYY-MM-DD. */
export function digestWeek(sentOn: string): { from: string; to: string } {
  const day = parseISO(sentOn);
  return { from: format(subDays(day, 7), 'yyyy-MM-dd'), to: sentOn };
}
