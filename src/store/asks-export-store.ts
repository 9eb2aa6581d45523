import type { Db } from './database.ts';

const ASKS = 'reference_asks';
const REQUESTS = 'reference_requests';
const CONTACTS = 'contacts';
const ACCOUNTS = 'accounts';
const OUTCOMES = 'reference_outcomes';

/** One ask with its request, contact, account and outcome, as the BI export reads it. */
export interface AskExportRow {
  askId: number;
  requestId: number;
  round: number;
  isCurrentAsk: boolean;
  requestStatus: string;
  requestedBy: string;
  submittedAt: string;
  neededBy: string;
  activity: string;
  prospect: string;
  industry: string | null;
  region: string | null;
  companySize: string | null;
  seniority: string | null;
  products: string[];
  opportunityAmount: number | null;
  approvedBy: string;
  approvedAt: string;
  contactId: number;
  contactName: string | null;
  accountExternalId: string | null;
  accountName: string;
  ownerId: string;
  remindersSent: number;
  lastRemindedAt: string | null;
  escalatedAt: string | null;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: string | null;
  followupSentAt: string | null;
  /** The outcome the rep recorded for this ask; null when there is none (yet, or for another ask). */
  happened: boolean | null;
  rating: number | null;
  movedDeal: string | null;
  outcomeRecordedAt: string | null;
  dealResult: string | null;
  dealAmount: number | null;
  dealRecordedAt: string | null;
  closedBy: string | null;
  closedAt: string | null;
}

/**
 * Asks approved from `approvedFrom` to `approvedUntil`, both included: ISO 8601 moments compared as text,
 * as every moment is stored; a null bound is open.
 */
export interface AskExportFilter {
  approvedFrom: string | null;
  approvedUntil: string | null;
}

interface JoinedRow {
  ask_id: number;
  request_id: number;
  round: number;
  current_ask_id: number | null;
  status: string;
  requester_id: string;
  created_at: string;
  needed_by: string;
  activity: string;
  prospect: string;
  industry: string | null;
  region: string | null;
  company_size: string | null;
  seniority: string | null;
  products: string;
  amount: number | string | null;
  approved_by: string;
  approved_at: string;
  contact_id: number;
  contact_name: string | null;
  account_external_id: string | null;
  account_name: string;
  owner_id: string;
  reminders_sent: number | string | null;
  last_reminded_at: string | null;
  escalated_at: string | null;
  answer: string | null;
  answered_by: string | null;
  answered_at: string | null;
  followup_sent_at: string | null;
  happened: number | boolean | null;
  rating: number | null;
  moved_deal: string | null;
  recorded_at: string | null;
  deal_result: string | null;
  deal_amount: number | string | null;
  deal_recorded_at: string | null;
  closed_by: string | null;
  closed_at: string | null;
}

const amount = (value: number | string | null) => (value === null ? null : Number(value));

const mapRow = (r: JoinedRow): AskExportRow => ({
  askId: r.ask_id,
  requestId: r.request_id,
  round: r.round,
  isCurrentAsk: r.current_ask_id === r.ask_id,
  requestStatus: r.status,
  requestedBy: r.requester_id,
  submittedAt: r.created_at,
  neededBy: r.needed_by,
  activity: r.activity,
  prospect: r.prospect,
  industry: r.industry,
  region: r.region,
  companySize: r.company_size,
  seniority: r.seniority,
  products: JSON.parse(r.products) as string[],
  opportunityAmount: amount(r.amount),
  approvedBy: r.approved_by,
  approvedAt: r.approved_at,
  contactId: r.contact_id,
  contactName: r.contact_name,
  accountExternalId: r.account_external_id,
  accountName: r.account_name,
  ownerId: r.owner_id,
  remindersSent: Number(r.reminders_sent ?? 0),
  lastRemindedAt: r.last_reminded_at,
  escalatedAt: r.escalated_at,
  answer: r.answer,
  answeredBy: r.answered_by,
  answeredAt: r.answered_at,
  followupSentAt: r.followup_sent_at,
  // SQLite gives 0/1, PostgreSQL true/false; null when the ask has no outcome.
  happened: r.happened === null ? null : Boolean(r.happened),
  rating: r.rating,
  movedDeal: r.moved_deal,
  outcomeRecordedAt: r.recorded_at,
  dealResult: r.deal_result,
  dealAmount: amount(r.deal_amount),
  dealRecordedAt: r.deal_recorded_at,
  closedBy: r.closed_by,
  closedAt: r.closed_at,
});

/**
 * Reads asks for export a page at a time, keyset by ask id: each page is one indexed query that starts
 * where the last one stopped, so the export never holds more than a page and never skips or repeats an
 * ask however long it runs. Contact emails are not read: reps only get them once a contact agreed.
 */
export class AsksExportStore {
  /** Up to `limit` asks with an id above `afterId`, in id order. */
  async page(db: Db, filter: AskExportFilter, afterId: number, limit: number): Promise<AskExportRow[]> {
    const query = db(`${ASKS} as k`)
      .join(`${REQUESTS} as r`, 'r.id', 'k.request_id')
      .join(`${CONTACTS} as c`, 'c.id', 'k.contact_id')
      .join(`${ACCOUNTS} as a`, 'a.id', 'c.account_id')
      // A request has at most one outcome, keyed by request; it belongs to the ask it names.
      .leftJoin(`${OUTCOMES} as o`, (on) => on.on('o.request_id', 'k.request_id').andOn('o.ask_id', 'k.id'))
      .where('k.id', '>', afterId)
      .select(
        'k.id as ask_id',
        'k.request_id',
        'k.round',
        'r.current_ask_id',
        'r.status',
        'r.requester_id',
        'r.created_at',
        'r.needed_by',
        'r.activity',
        'r.prospect',
        'r.industry',
        'r.region',
        'r.company_size',
        'r.seniority',
        'r.products',
        'r.amount',
        'k.approved_by',
        'k.approved_at',
        'k.contact_id',
        'c.name as contact_name',
        'a.external_id as account_external_id',
        'a.name as account_name',
        'k.owner_id',
        'k.reminders_sent',
        'k.last_reminded_at',
        'k.escalated_at',
        'k.answer',
        'k.answered_by',
        'k.answered_at',
        'r.followup_sent_at',
        'o.happened',
        'o.rating',
        'o.moved_deal',
        'o.recorded_at',
        'o.deal_result',
        'o.deal_amount',
        'o.deal_recorded_at',
        'r.closed_by',
        'r.closed_at',
      )
      .orderBy('k.id')
      .limit(limit);
    if (filter.approvedFrom !== null) query.where('k.approved_at', '>=', filter.approvedFrom);
    if (filter.approvedUntil !== null) query.where('k.approved_at', '<=', filter.approvedUntil);
    return ((await query) as JoinedRow[]).map(mapRow);
  }

  /** Every matching ask, one page after another. */
  async *pages(db: Db, filter: AskExportFilter, pageSize: number): AsyncGenerator<AskExportRow[]> {
    let afterId = 0;
    for (;;) {
      const rows = await this.page(db, filter, afterId, pageSize);
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
      afterId = rows[rows.length - 1]!.askId;
    }
  }
}
