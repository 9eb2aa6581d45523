import { TZDate } from '@date-fns/tz';
import { format, isValid, parseISO } from 'date-fns';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD (rejects 2026-02-30). */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const parsed = parseISO(value);
  return isValid(parsed) && format(parsed, 'yyyy-MM-dd') === value;
}

/** The IANA zone to compute in: the given one when valid, else UTC. */
export function validZone(timeZone: string | null | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** The calendar date at `now` in a time zone; UTC when the zone is unknown or invalid. */
export const localDate = (now: Date, timeZone: string | null | undefined): string =>
  format(new TZDate(now, validZone(timeZone)), 'yyyy-MM-dd');

/** "Fri 4 Dec 2026" for a YYYY-MM-DD date. */
export const formatDay = (isoDate: string): string => format(parseISO(isoDate), 'EEE d MMM yyyy');
