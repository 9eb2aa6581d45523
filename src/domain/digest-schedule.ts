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

/**
 * The digest due at `now`: its date (YYYY-MM-DD, the local day it is sent on, which names the week) once
 * this week's moment has come, or null before it. A bot that was down at that moment sends it late,
 * not never; the week's row in the database makes sure it is sent once.
 */
export function dueDigest(now: Date, schedule: DigestSchedule): string | null {
  const moment = digestMomentOfWeek(now, schedule);
  return now.getTime() >= moment.getTime() ? format(moment, 'yyyy-MM-dd') : null;
}

/** The seven days a digest sent on `sentOn` covers: the week before it, [from, to) as YYYY-MM-DD. */
export function digestWeek(sentOn: string): { from: string; to: string } {
  const day = parseISO(sentOn);
  return { from: format(subDays(day, 7), 'yyyy-MM-dd'), to: sentOn };
}
