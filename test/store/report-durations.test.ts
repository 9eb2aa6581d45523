import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DurationStats, NO_FILTERS } from '../../src/domain/report.ts';
import type { Db } from '../../src/store/database.ts';
import { type ReportRange, ReportStore } from '../../src/store/report-store.ts';
import { insertAccount, insertContact, insertRequest } from './directory-rows.ts';
import { openTempDatabase, type TempDatabase } from './temp-database.ts';

/** October is the previous period, November the current one. */
const RANGE: ReportRange = {
  previousFrom: '2026-10-01T00:00:00.000Z',
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-12-01T00:00:00.000Z',
};
const HOUR_MS = 3_600_000;
const plusHours = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * HOUR_MS).toISOString();

/**
 * Known answers: each percentile p is read at 0-based position p (n - 1) of the sorted values, interpolated
 * between the two nearest ones: the median is the middle value (or the mean of the two middle ones).
 */
const CASES: { hours: number[]; stats: DurationStats }[] = [
  { hours: [], stats: { count: 0, medianHours: null, p90Hours: null } },
  { hours: [5], stats: { count: 1, medianHours: 5, p90Hours: 5 } },
  // 1 2 4 8 16 24: the p90 is halfway (4.5) from 16 to 24.
  { hours: [24, 1, 8, 2, 16, 4], stats: { count: 6, medianHours: 6, p90Hours: 20 } },
  { hours: [3, 1, 2], stats: { count: 3, medianHours: 2, p90Hours: 2.8 } },
  // 10 values: position 8.1, a tenth of the way from 9 to 10; 11 values: exactly the 10th.
  { hours: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], stats: { count: 10, medianHours: 5.5, p90Hours: 9.1 } },
  { hours: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], stats: { count: 11, medianHours: 6, p90Hours: 10 } },
];

describe('ReportStore durations', () => {
  let temp: TempDatabase;
  let db: Db;
  const store = new ReportStore();

  beforeAll(async () => {
    temp = await openTempDatabase();
    db = temp.db;
  });
  afterAll(() => temp.close());

  describe('decisions', () => {
    beforeEach(async () => {
      await db('reference_requests').del();
    });

    /** A request submitted at `created` and first decided `hours` later (or not yet). */
    const decided = async (created: string, hours: number | null) => {
      const id = await insertRequest(db, { at: created, status: hours === null ? 'submitted' : 'denied' });
      if (hours !== null)
        await db('reference_requests')
          .where({ id })
          .update({ decided_at: plusHours(created, hours) });
    };

    // Each case ends in the current period, and the next one in the previous period.
    it.each(CASES.map((c, i) => ({ ...c, before: CASES[(i + 1) % CASES.length]! })))(
      'takes the median and the p90 of $hours',
      async ({ hours, stats, before }) => {
        // Submitted a few hours apart, so that the durations are not read in the order they were inserted.
        for (const [i, h] of hours.entries()) await decided(plusHours('2026-11-10T00:00:00.000Z', -7 * i), h);
        for (const [i, h] of before.hours.entries())
          await decided(plusHours('2026-10-10T00:00:00.000Z', 5 * i), h);
        // Not counted: undecided, decided before the previous period, decided at the end of the current one.
        await decided('2026-11-02T00:00:00.000Z', null);
        await decided('2026-09-30T00:00:00.000Z', 23);
        await decided('2026-11-30T12:00:00.000Z', 12);

        expect(await store.decisions(db, RANGE, NO_FILTERS)).toEqual({
          current: stats,
          previous: before.stats,
        });
      },
    );

    it('counts a decision at the start of the period in it, at its end in the next', async () => {
      // 3 h, ending when the current period starts; 4 h, ending when the previous one starts.
      await decided(plusHours(RANGE.from, -3), 3);
      await decided(plusHours(RANGE.previousFrom, -4), 4);
      expect(await store.decisions(db, RANGE, NO_FILTERS)).toEqual({
        current: { count: 1, medianHours: 3, p90Hours: 3 },
        previous: { count: 1, medianHours: 4, p90Hours: 4 },
      });
    });

    it('keeps fractions of an hour', async () => {
      await decided('2026-11-10T00:00:00.000Z', 0.5);
      await decided('2026-11-11T00:00:00.000Z', 1.25);
      expect((await store.decisions(db, RANGE, NO_FILTERS)).current).toEqual({
        count: 2,
        medianHours: 0.875,
        p90Hours: 1.175,
      });
    });
  });

  describe('slowestOwners', () => {
    it('ranks the owners by the median of their answers in the period, ties by id, up to the limit', async () => {
      const account = await insertAccount(db, { name: 'Acme' });
      const contact = await insertContact(db, account, { name: 'Ann' });
      const answered = async (owner: string, approvedAt: string, hours: number) => {
        const requestId = await insertRequest(db, { at: approvedAt, status: 'agreed' });
        await db('reference_asks').insert({
          request_id: requestId,
          contact_id: contact,
          owner_id: owner,
          round: 1,
          approved_by: 'U0MGR0001',
          approved_at: approvedAt,
          answer: 'agreed',
          answered_by: owner,
          answered_at: plusHours(approvedAt, hours),
        });
      };
      // O1: 10 and 20 h (and 100 h in the previous period, not counted); O4 15 h, tied with O1; O2 6 h;
      // O3 1, 2 and 30 h (median 2); O5 answered only in the previous period.
      await answered('U0OWNER01', '2026-11-03T00:00:00.000Z', 20);
      await answered('U0OWNER01', '2026-11-04T00:00:00.000Z', 10);
      await answered('U0OWNER01', '2026-10-03T00:00:00.000Z', 100);
      await answered('U0OWNER04', '2026-11-05T00:00:00.000Z', 15);
      await answered('U0OWNER02', '2026-11-06T00:00:00.000Z', 6);
      await answered('U0OWNER03', '2026-11-07T00:00:00.000Z', 30);
      await answered('U0OWNER03', '2026-11-08T00:00:00.000Z', 1);
      await answered('U0OWNER03', '2026-11-09T00:00:00.000Z', 2);
      await answered('U0OWNER05', '2026-10-05T00:00:00.000Z', 50);

      expect(await store.slowestOwners(db, RANGE, NO_FILTERS, 5)).toEqual([
        { ownerId: 'U0OWNER01', stats: { count: 2, medianHours: 15, p90Hours: 19 } },
        { ownerId: 'U0OWNER04', stats: { count: 1, medianHours: 15, p90Hours: 15 } },
        { ownerId: 'U0OWNER02', stats: { count: 1, medianHours: 6, p90Hours: 6 } },
        { ownerId: 'U0OWNER03', stats: { count: 3, medianHours: 2, p90Hours: 24.4 } },
      ]);
      expect((await store.slowestOwners(db, RANGE, NO_FILTERS, 2)).map((o) => o.ownerId)).toEqual([
        'U0OWNER01',
        'U0OWNER04',
      ]);
    });
  });
});
