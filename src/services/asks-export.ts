import { z } from 'zod';
import { isIsoDate } from '../domain/dates.ts';
import { requestRef } from '../domain/reference.ts';
import { type AskExportFilter, type AskExportRow, AsksExportStore } from '../store/asks-export-store.ts';
import type { Db } from '../store/database.ts';
import { type CsvValue, csvText } from './csv-cells.ts';
import { parseInput } from './requests/request-use-case.ts';

/** The columns of `export asks`, in order; the README describes each. */
export const ASK_EXPORT_COLUMNS = [
  'request_id',
  'ask_id',
  'round',
  'current_ask',
  'request_status',
  'requested_by',
  'submitted_at',
  'needed_by',
  'activity',
  'prospect',
  'prospect_industry',
  'prospect_region',
  'prospect_company_size',
  'prospect_seniority',
  'products',
  'opportunity_amount',
  'approved_by',
  'approved_at',
  'contact_id',
  'contact_name',
  'account_id',
  'account_name',
  'owner_id',
  'reminders_sent',
  'last_reminded_at',
  'escalated_at',
  'owner_answer',
  'answered_by',
  'answered_at',
  'followup_sent_at',
  'happened',
  'rating',
  'moved_deal',
  'outcome_recorded_at',
  'deal_result',
  'deal_amount',
  'deal_recorded_at',
  'closed_by',
  'closed_at',
] as const;
export type AskExportColumn = (typeof ASK_EXPORT_COLUMNS)[number];

/** Asks read from the database at a time: one page is all the export ever holds. */
const ASKS_PER_PAGE = 1_000;

/** Which asks to export, by the day (UTC) a manager approved them; both days count, null is open. */
export interface AsksPeriod {
  from: string | null;
  to: string | null;
}

const day = z
  .string()
  .refine(isIsoDate, 'must be a date written YYYY-MM-DD, e.g. 2026-09-30')
  .nullish()
  .transform((value) => value ?? null);

const periodSchema = z
  .object({ from: day, to: day })
  .refine((p) => p.from === null || p.to === null || p.from <= p.to, {
    message: 'must not be before the from date',
    path: ['to'],
  });

/** The period of `export asks`, validated; an InputError names the bad field (`from`, `to`). */
export const asksPeriod = (input: unknown): AsksPeriod => parseInput(periodSchema, input);

/** Moments are stored as Date.toISOString() text (UTC), so a day runs from its date to its last millisecond. */
const toFilter = (period: AsksPeriod): AskExportFilter => ({
  approvedFrom: period.from,
  approvedUntil: period.to === null ? null : `${period.to}T23:59:59.999Z`,
});

type CsvRecord = Record<AskExportColumn, CsvValue>;

const csvRecord = (r: AskExportRow): CsvRecord => ({
  request_id: requestRef(r.requestId),
  ask_id: r.askId,
  round: r.round,
  current_ask: r.isCurrentAsk,
  request_status: r.requestStatus,
  requested_by: r.requestedBy,
  submitted_at: r.submittedAt,
  needed_by: r.neededBy,
  activity: r.activity,
  prospect: r.prospect,
  prospect_industry: r.industry,
  prospect_region: r.region,
  prospect_company_size: r.companySize,
  prospect_seniority: r.seniority,
  products: r.products.join(';'),
  opportunity_amount: r.opportunityAmount,
  approved_by: r.approvedBy,
  approved_at: r.approvedAt,
  contact_id: r.contactId,
  contact_name: r.contactName,
  account_id: r.accountExternalId,
  account_name: r.accountName,
  owner_id: r.ownerId,
  reminders_sent: r.remindersSent,
  last_reminded_at: r.lastRemindedAt,
  escalated_at: r.escalatedAt,
  owner_answer: r.answer,
  answered_by: r.answeredBy,
  answered_at: r.answeredAt,
  followup_sent_at: r.followupSentAt,
  happened: r.happened,
  rating: r.rating,
  moved_deal: r.movedDeal,
  outcome_recorded_at: r.outcomeRecordedAt,
  deal_result: r.dealResult,
  deal_amount: r.dealAmount,
  deal_recorded_at: r.dealRecordedAt,
  closed_by: r.closedBy,
  closed_at: r.closedAt,
});

/**
 * Writes one CSV row per ask (a contact approved for a request) with its request, contact, account and
 * outcome, for BI tools. Contact emails stay out: reps only get them once a contact agreed.
 */
export class AsksExport {
  constructor(
    private readonly db: Db,
    private readonly store = new AsksExportStore(),
    private readonly asksPerPage = ASKS_PER_PAGE,
  ) {}

  /** The CSV in pieces, one per page of asks (the header first), so no export sits in memory whole. */
  async *csvChunks(period: AsksPeriod): AsyncGenerator<{ text: string; asks: number }> {
    let header = true;
    for await (const rows of this.store.pages(this.db, toFilter(period), this.asksPerPage)) {
      yield { text: csvText(rows.map(csvRecord), ASK_EXPORT_COLUMNS, header), asks: rows.length };
      header = false;
    }
    if (header) yield { text: csvText([], ASK_EXPORT_COLUMNS, true), asks: 0 };
  }

  /** Hands every chunk to `write`, waiting for it each time; returns the number of asks written. */
  async writeCsv(period: AsksPeriod, write: (text: string) => Promise<void>): Promise<number> {
    let asks = 0;
    for await (const chunk of this.csvChunks(period)) {
      await write(chunk.text);
      asks += chunk.asks;
    }
    return asks;
  }

  /** The whole CSV as one string (tests, small exports). */
  async exportCsv(period: AsksPeriod = { from: null, to: null }): Promise<string> {
    let text = '';
    await this.writeCsv(period, async (chunk) => {
      text += chunk;
    });
    return text;
  }
}
