import { TZDate } from '@date-fns/tz';
import { format, isValid, parseISO } from 'date-fns';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD (rejects 2026-02-30). */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const parsed = parseISO(value);
  return isValid(parsed) && format(parsed, 'yyyy-MM-dd') === value;
}

const zoneVerdicts = new Map<string, boolean>();

/** The IANA zone to compute in: the given one when valid, else UTC. */
export function validZone(timeZone: string | null | undefined): string {
  if (!timeZone || timeZone === 'UTC') return 'UTC';
  // Building a DateTimeFormat costs far more than the date it checks: remember each zone's verdict.
  let valid = zoneVerdicts.get(timeZone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      valid = true;
    } catch {
      valid = false;
    }
    if (zoneVerdicts.size < 1_000) zoneVerdicts.set(timeZone, valid);
  }
  return valid ? timeZone : 'UTC';
}

/** The calendar date at `now` in a time zone; UTC when the zone is unknown or invalid. */
export function localDate(now: Date, timeZone: string | null | undefined): string {
  return format(new TZDate(now, validZone(timeZone)), 'yyyy-MM-dd');
}

/** "Fri 4 Dec 2026" for a YYYY-MM-DD date. */
export const formatDay = (isoDate: string): string => format(parseISO(isoDate), 'EEE d MMM yyyy');
