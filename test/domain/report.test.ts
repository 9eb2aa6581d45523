import { describe, expect, it } from 'vitest';
import { durationStats, reportPeriods } from '../../src/domain/report.ts';

describe('durationStats', () => {
  it('takes the middle value (or the mean of the two middle ones) and the p90 by nearest rank', () => {
    expect(durationStats([])).toEqual({ count: 0, medianHours: null, p90Hours: null });
    expect(durationStats([5])).toEqual({ count: 1, medianHours: 5, p90Hours: 5 });
    expect(durationStats([24, 1, 8, 2, 16, 4])).toEqual({ count: 6, medianHours: 6, p90Hours: 24 });
    expect(durationStats([3, 1, 2])).toEqual({ count: 3, medianHours: 2, p90Hours: 3 });
    // 10 values: the 9th is the p90; 11 values: the 10th.
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(durationStats(ten)).toEqual({ count: 10, medianHours: 5.5, p90Hours: 9 });
    expect(durationStats([...ten, 11])).toEqual({ count: 11, medianHours: 6, p90Hours: 10 });
  });
});

describe('reportPeriods', () => {
  const now = new Date('2026-01-10T08:00:00.000Z');

  it('starts this quarter on the first of January, April, July or October, UTC', () => {
    const { current, previous } = reportPeriods({ kind: 'quarter' }, now);
    expect(current).toMatchObject({ from: '2026-01-01T00:00:00.000Z', to: now.toISOString() });
    // 9 days and 8 hours, just before.
    expect(previous).toMatchObject({ from: '2025-12-22T16:00:00.000Z', to: '2026-01-01T00:00:00.000Z' });
  });

  it('takes two dates as whole UTC days, the last one included', () => {
    const { current, previous } = reportPeriods({ kind: 'dates', from: '2025-12-01', to: '2025-12-31' }, now);
    expect(current).toMatchObject({
      from: '2025-12-01T00:00:00.000Z',
      to: '2026-01-01T00:00:00.000Z',
      firstDay: '2025-12-01',
      lastDay: '2025-12-31',
      label: '1 Dec 2025 – 31 Dec 2025',
    });
    expect(previous).toMatchObject({
      from: '2025-10-31T00:00:00.000Z',
      firstDay: '2025-10-31',
      lastDay: '2025-11-30',
    });
  });
});
