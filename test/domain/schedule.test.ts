import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/domain/dates.ts';
import { EARLIEST_CALENDAR, hasExpired } from '../../src/domain/schedule.ts';

describe('hasExpired', () => {
  // 01:00 UTC on 2 Dec is still 1 Dec, 17:00, in Los Angeles.
  const now = new Date('2026-12-02T01:00:00.000Z');

  it("waits for the end of the needed-by day on the rep's calendar", () => {
    expect(hasExpired('2026-12-01', now, 'America/Los_Angeles')).toBe(false);
    expect(hasExpired('2026-12-01', now, 'Europe/Berlin')).toBe(true);
    expect(hasExpired('2026-11-30', now, 'America/Los_Angeles')).toBe(true);
  });

  it('uses the UTC calendar when the rep’s zone is unknown', () => {
    expect(hasExpired('2026-12-01', now, null)).toBe(true);
    expect(hasExpired('2026-12-02', now, null)).toBe(false);
  });

  it('never expires a date that is not over in the zone furthest ahead', () => {
    expect(localDate(now, EARLIEST_CALENDAR) >= localDate(now, 'UTC')).toBe(true);
    expect(localDate(now, EARLIEST_CALENDAR)).toBe('2026-12-02');
  });
});
