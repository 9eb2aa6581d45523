import { describe, expect, it } from 'vitest';
import { DEFAULT_DIGEST_SCHEDULE, digestWeek, dueDigest } from '../../src/domain/digest-schedule.ts';

describe('dueDigest', () => {
  it('is due from Monday 9:00 UTC for a day, and not before or after', () => {
    // 2026-11-30 is a Monday.
    expect(dueDigest(new Date('2026-11-30T08:59:59Z'), DEFAULT_DIGEST_SCHEDULE)).toBeNull();
    expect(dueDigest(new Date('2026-11-30T09:00:00Z'), DEFAULT_DIGEST_SCHEDULE)).toBe('2026-11-30');
    expect(dueDigest(new Date('2026-12-01T08:59:59Z'), DEFAULT_DIGEST_SCHEDULE)).toBe('2026-11-30');
    // A bot started mid-week waits for next Monday.
    expect(dueDigest(new Date('2026-12-01T09:00:00Z'), DEFAULT_DIGEST_SCHEDULE)).toBeNull();
    expect(dueDigest(new Date('2026-12-04T17:00:00Z'), DEFAULT_DIGEST_SCHEDULE)).toBeNull();
  });

  it('follows the configured day, hour and time zone', () => {
    const friday8InBerlin = { day: 5, hour: 8, timeZone: 'Europe/Berlin' };
    // Friday 2026-12-04 08:00 in Berlin is 07:00 UTC.
    expect(dueDigest(new Date('2026-12-04T06:59:00Z'), friday8InBerlin)).toBeNull();
    expect(dueDigest(new Date('2026-12-04T07:00:00Z'), friday8InBerlin)).toBe('2026-12-04');
    expect(dueDigest(new Date('2026-12-05T06:59:00Z'), friday8InBerlin)).toBe('2026-12-04');
    expect(dueDigest(new Date('2026-12-05T07:00:00Z'), friday8InBerlin)).toBeNull();
  });

  it('keeps the local hour across a change to summer time', () => {
    const mondayNineInNewYork = { day: 1, hour: 9, timeZone: 'America/New_York' };
    // 2027-03-15 is the Monday after the switch: 9:00 EDT is 13:00 UTC.
    expect(dueDigest(new Date('2027-03-15T12:59:00Z'), mondayNineInNewYork)).toBeNull();
    expect(dueDigest(new Date('2027-03-15T13:00:00Z'), mondayNineInNewYork)).toBe('2027-03-15');
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(dueDigest(new Date('2026-11-30T09:00:00Z'), { day: 1, hour: 9, timeZone: 'Mars/Base' })).toBe(
      '2026-11-30',
    );
  });
});

describe('digestWeek', () => {
  it('covers the seven days before the day it is sent', () => {
    expect(digestWeek('2026-11-30')).toEqual({ from: '2026-11-23', to: '2026-11-30' });
  });
});
