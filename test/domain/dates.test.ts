import { describe, expect, it } from 'vitest';
import { formatDay, isIsoDate, localDate } from '../../src/domain/dates.ts';

describe('isIsoDate', () => {
  it.each(['2026-11-22', '2024-02-29', '2026-12-31', '2026-01-01'])('accepts %s', (value) => {
    expect(isIsoDate(value)).toBe(true);
  });

  it.each([
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-1-5',
    '26-11-22',
    '2026/11/22',
    '2026-11-22T00:00:00Z',
    ' 2026-11-22',
    '2026-11-22 ',
    '',
    'tomorrow',
  ])('rejects %j', (value) => {
    expect(isIsoDate(value)).toBe(false);
  });
});

describe('localDate', () => {
  const lateUtc = new Date('2026-11-22T23:30:00Z');

  it('is the UTC date without a zone', () => {
    expect(localDate(lateUtc, null)).toBe('2026-11-22');
    expect(localDate(lateUtc, undefined)).toBe('2026-11-22');
    expect(localDate(lateUtc, '')).toBe('2026-11-22');
    expect(localDate(lateUtc, 'UTC')).toBe('2026-11-22');
  });

  it('is already tomorrow east of UTC', () => {
    expect(localDate(lateUtc, 'Europe/Berlin')).toBe('2026-11-23');
    expect(localDate(lateUtc, 'Asia/Tokyo')).toBe('2026-11-23');
  });

  it('turns over at local midnight even when asked again within the same minute before', () => {
    const zone = 'America/New_York'; // UTC-5 in December
    expect(localDate(new Date('2026-12-01T04:59:00Z'), zone)).toBe('2026-11-30');
    expect(localDate(new Date('2026-12-01T04:59:59.999Z'), zone)).toBe('2026-11-30');
    expect(localDate(new Date('2026-12-01T05:00:00Z'), zone)).toBe('2026-12-01');
    expect(localDate(new Date('2026-12-01T04:59:30Z'), zone)).toBe('2026-11-30');
    expect(localDate(new Date('2026-12-01T04:59:30Z'), 'UTC')).toBe('2026-12-01');
  });

  it('is still yesterday west of UTC', () => {
    const earlyUtc = new Date('2026-11-23T03:00:00Z');
    expect(localDate(earlyUtc, 'America/Los_Angeles')).toBe('2026-11-22');
    expect(localDate(earlyUtc, 'Europe/Berlin')).toBe('2026-11-23');
  });

  it('honours half-hour zones', () => {
    // 18:40 UTC is 00:10 the next day in India (UTC+5:30).
    expect(localDate(new Date('2026-11-22T18:40:00Z'), 'Asia/Kolkata')).toBe('2026-11-23');
    expect(localDate(new Date('2026-11-22T18:20:00Z'), 'Asia/Kolkata')).toBe('2026-11-22');
  });

  it('falls back to UTC for an invalid zone', () => {
    expect(localDate(lateUtc, 'Not/AZone')).toBe('2026-11-22');
    expect(localDate(new Date('2026-11-23T03:00:00Z'), 'garbage')).toBe('2026-11-23');
  });
});

describe('formatDay', () => {
  it('writes the weekday, day, month and year', () => {
    expect(formatDay('2026-12-04')).toBe('Fri 4 Dec 2026');
    expect(formatDay('2026-02-28')).toBe('Sat 28 Feb 2026');
  });
});
