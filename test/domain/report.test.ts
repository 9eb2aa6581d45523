import { describe, expect, it } from 'vitest';
import { reportPeriods } from '../../src/domain/report.ts';

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
