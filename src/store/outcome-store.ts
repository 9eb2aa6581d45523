import type { Db } from './database.ts';
import { readInChunks } from './read-in-chunks.ts';

const OUTCOMES = 'reference_outcomes';

export type MovedDeal = 'yes' | 'no' | 'too_early';
export type DealResult = 'won' | 'lost';

/** What the rep reported after the reference: whether it happened, how it went, and the deal. */
export interface ReferenceOutcome {
  requestId: number;
  askId: number;
  contactId: number;
  happened: boolean;
  rating: number | null;
  helped: string | null;
  movedDeal: MovedDeal | null;
  whyNot: string | null;
  dealResult: DealResult | null;
  dealAmount: number | null;
  recordedBy: string;
  recordedAt: string;
  dealRecordedAt: string | null;
}

interface OutcomeRow {
  request_id: number;
  ask_id: number;
  contact_id: number;
  happened: number | boolean;
  rating: number | null;
  helped: string | null;
  moved_deal: string | null;
  why_not: string | null;
  deal_result: string | null;
  deal_amount: number | string | null;
  recorded_by: string;
  recorded_at: string;
  deal_recorded_at: string | null;
}

const mapOutcome = (r: OutcomeRow): ReferenceOutcome => ({
  requestId: r.request_id,
  askId: r.ask_id,
  contactId: r.contact_id,
  // SQLite gives 0/1, PostgreSQL true/false.
  happened: Boolean(r.happened),
  rating: r.rating,
  helped: r.helped,
  movedDeal: r.moved_deal as MovedDeal | null,
  whyNot: r.why_not,
  dealResult: r.deal_result as DealResult | null,
  dealAmount: r.deal_amount === null ? null : Number(r.deal_amount),
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
  dealRecordedAt: r.deal_recorded_at,
});

export class OutcomeStore {
  async insert(
    db: Db,
    o: Omit<ReferenceOutcome, 'dealResult' | 'dealAmount' | 'dealRecordedAt'>,
  ): Promise<void> {
    await db(OUTCOMES).insert({
      request_id: o.requestId,
      ask_id: o.askId,
      contact_id: o.contactId,
      happened: o.happened,
      rating: o.rating,
      helped: o.helped,
      moved_deal: o.movedDeal,
      why_not: o.whyNot,
      recorded_by: o.recordedBy,
      recorded_at: o.recordedAt,
    });
  }

  async get(db: Db, requestId: number): Promise<ReferenceOutcome | null> {
    return (await this.getMany(db, [requestId])).get(requestId) ?? null;
  }

  /** The outcomes of these requests, by request id (a request with none is missing). */
  async getMany(db: Db, requestIds: readonly number[]): Promise<Map<number, ReferenceOutcome>> {
    const rows = await readInChunks(
      requestIds,
      (part) => db(OUTCOMES).whereIn('request_id', part) as Promise<OutcomeRow[]>,
    );
    return new Map(rows.map((r) => [r.request_id, mapOutcome(r)]));
  }

  async recordDeal(
    db: Db,
    requestId: number,
    result: DealResult,
    amount: number | null,
    at: string,
  ): Promise<boolean> {
    const count = await db(OUTCOMES)
      .where({ request_id: requestId })
      .update({ deal_result: result, deal_amount: amount, deal_recorded_at: at });
    return count === 1;
  }

  /** Revenue of won deals that a completed reference helped, for the program's report. */
  async influencedRevenue(db: Db): Promise<{ deals: number; amount: number }> {
    const row = (await db(OUTCOMES)
      .where({ happened: true, deal_result: 'won' })
      .count({ n: '*' })
      .sum({ amount: 'deal_amount' })
      .first()) as { n: number | string; amount: number | string | null } | undefined;
    return { deals: Number(row?.n ?? 0), amount: Number(row?.amount ?? 0) };
  }
}
