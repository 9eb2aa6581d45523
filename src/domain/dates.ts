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

const recentDates = new Map<string, { minute: number; date: string }>();

/** The calendar date at `now` in a time zone; UTC when the zone is unknown or invalid. */
export function localDate(now: Date, timeZone: string | null | undefined): string {
  const zone = validZone(timeZone);
  // Every zone's offset is whole minutes, so a local date only turns over on a UTC minute: a click's
  // several look-ups of "today" cost one time-zone conversion a minute instead of one each.
  const minute = Math.floor(now.getTime() / 60_000);
  const recent = recentDates.get(zone);
  if (recent?.minute === minute) return recent.date;
  const date = format(new TZDate(now, zone), 'yyyy-MM-dd');
  if (recentDates.size < 1_000 || recent) recentDates.set(zone, { minute, date });
  return date;
}

/** "Fri 4 Dec 2026" for a YYYY-MM-DD date. */
export const formatDay = (isoDate: string): string => format(parseISO(isoDate), 'EEE d MMM yyyy');
