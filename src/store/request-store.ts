import type { ReferenceAsk, ReferenceRequest, RequestHistoryEntry } from '../domain/reference.ts';
import type { RequestDraft } from '../domain/request-draft.ts';
import type { RequestStatus } from '../domain/request-lifecycle.ts';
import type { Activity, OwnerAnswer, Seniority } from '../domain/vocabulary.ts';
import type { Db } from './database.ts';
import { readInChunks } from './read-in-chunks.ts';

const REQUESTS = 'reference_requests';

/** How a prospect is compared across requests: case and surrounding space do not matter. */
export const prospectKey = (prospect: string): string => prospect.trim().toLowerCase();
const PRODUCTS = 'request_products';
const ASKS = 'reference_asks';
const HISTORY = 'request_history';
const CARD_CONTACTS = 'card_contacts';

interface RequestRow {
  id: number;
  requester_id: string;
  prospect: string;
  opportunity: string | null;
  amount: number | null;
  industry: string | null;
  products: string;
  region: string | null;
  company_size: string | null;
  seniority: string | null;
  activity: string;
  needed_by: string;
  context: string;
  preferred_contact_id: number | null;
  status: string;
  current_ask_id: number | null;
  closed_by: string | null;
  closed_at: string | null;
  close_reason: string | null;
  followup_on: string | null;
  followup_sent_at: string | null;
  created_at: string;
  updated_at: string;
}

interface AskRow {
  id: number;
  request_id: number;
  contact_id: number;
  owner_id: string;
  round: number;
  approved_by: string;
  approved_at: string;
  note: string | null;
  answer: string | null;
  answered_by: string | null;
  answered_at: string | null;
  override_reason: string | null;
  reminders_sent: number;
  last_reminded_at: string | null;
  remind_after: string | null;
  escalated_at: string | null;
}

interface HistoryRow {
  id: number;
  request_id: number;
  at: string;
  actor_id: string;
  action: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
}

const mapRequest = (r: RequestRow): ReferenceRequest => ({
  id: r.id,
  requesterId: r.requester_id,
  prospect: r.prospect,
  opportunity: r.opportunity,
  amount: r.amount === null ? null : Number(r.amount),
  industry: r.industry,
  products: JSON.parse(r.products) as string[],
  region: r.region,
  companySize: r.company_size,
  seniority: r.seniority as Seniority | null,
  activity: r.activity as Activity,
  neededBy: r.needed_by,
  context: r.context,
  preferredContactId: r.preferred_contact_id,
  status: r.status as RequestStatus,
  currentAskId: r.current_ask_id,
  closedBy: r.closed_by,
  closedAt: r.closed_at,
  closeReason: r.close_reason,
  createdAt: r.created_at,
  followupOn: r.followup_on ?? null,
  followupSentAt: r.followup_sent_at ?? null,
  updatedAt: r.updated_at,
});

const mapAsk = (r: AskRow): ReferenceAsk => ({
  id: r.id,
  requestId: r.request_id,
  contactId: r.contact_id,
  ownerId: r.owner_id,
  round: r.round,
  approvedBy: r.approved_by,
  approvedAt: r.approved_at,
  note: r.note,
  answer: r.answer as OwnerAnswer | null,
  answeredBy: r.answered_by,
  answeredAt: r.answered_at,
  overrideReason: r.override_reason,
  remindersSent: Number(r.reminders_sent ?? 0),
  lastRemindedAt: r.last_reminded_at ?? null,
  remindAfter: r.remind_after ?? null,
  escalatedAt: r.escalated_at ?? null,
});

const mapHistory = (r: HistoryRow): RequestHistoryEntry => ({
  id: r.id,
  requestId: r.request_id,
  at: r.at,
  actorId: r.actor_id,
  action: r.action,
  fromStatus: r.from_status as RequestStatus | null,
  toStatus: r.to_status as RequestStatus,
  reason: r.reason,
});

export interface StatusChange {
  id: number;
  from: RequestStatus;
  to: RequestStatus;
  at: string;
  currentAskId?: number | null;
  closedBy?: string | null;
  closeReason?: string | null;
}

export interface NewAsk {
  requestId: number;
  contactId: number;
  ownerId: string;
  approvedBy: string;
  approvedAt: string;
  note: string | null;
  overrideReason: string | null;
}

/** All SQL about reference requests, their asks and their history. */
export class RequestStore {
  async insert(db: Db, requesterId: string, draft: RequestDraft, at: string): Promise<ReferenceRequest> {
    const [row] = (await db(REQUESTS)
      .insert({
        requester_id: requesterId,
        prospect: draft.prospect,
        prospect_key: prospectKey(draft.prospect),
        opportunity: draft.opportunity,
        amount: draft.amount,
        industry: draft.industry,
        products: JSON.stringify(draft.products),
        region: draft.region,
        company_size: draft.companySize,
        seniority: draft.seniority,
        activity: draft.activity,
        needed_by: draft.neededBy,
        context: draft.context,
        preferred_contact_id: draft.preferredContactId,
        status: 'submitted' satisfies RequestStatus,
        created_at: at,
        updated_at: at,
      })
      .returning('*')) as RequestRow[];
    const products = [...new Set(draft.products)];
    if (products.length > 0)
      await db(PRODUCTS).insert(
        products.map((product) => ({ request_id: row!.id, product, created_at: at })),
      );
    return mapRequest(row!);
  }

  /**
   * One request; `forUpdate` locks its row for the rest of the transaction, so two decisions on it
   * (on PostgreSQL, where they can run at once) take turns and the second sees the first's result.
   */
  async get(db: Db, id: number, opts: { forUpdate?: boolean } = {}): Promise<ReferenceRequest | null> {
    const query = db(REQUESTS).where({ id });
    if (opts.forUpdate) query.forUpdate();
    const row = (await query.first()) as RequestRow | undefined;
    return row ? mapRequest(row) : null;
  }

  async getMany(db: Db, ids: readonly number[]): Promise<Map<number, ReferenceRequest>> {
    const rows = await readInChunks(ids, (part) => db(REQUESTS).whereIn('id', part) as Promise<RequestRow[]>);
    return new Map(rows.map((r) => [r.id, mapRequest(r)]));
  }

  async listByRequester(db: Db, requesterId: string, limit: number): Promise<ReferenceRequest[]> {
    const rows = (await db(REQUESTS)
      .where({ requester_id: requesterId })
      .orderBy('id', 'desc')
      .limit(limit)) as RequestRow[];
    return rows.map(mapRequest);
  }

  /**
   * Moves a request from one status to another only if it is still in `from`:
   * of two concurrent clicks, exactly one sees `true`.
   */
  async changeStatus(db: Db, change: StatusChange): Promise<boolean> {
    const patch: Record<string, unknown> = { status: change.to, updated_at: change.at };
    // Kept for the program report: the first decision (approved or denied) and when the contact was secured.
    if (change.to === 'awaiting_owner' || change.to === 'denied')
      patch.decided_at = db.raw('coalesce(decided_at, ?)', [change.at]);
    if (change.to === 'agreed') patch.secured_at = change.at;
    if (change.currentAskId !== undefined) patch.current_ask_id = change.currentAskId;
    if (change.closedBy !== undefined) {
      patch.closed_by = change.closedBy;
      patch.closed_at = change.at;
      patch.close_reason = change.closeReason ?? null;
    }
    const count = await db(REQUESTS).where({ id: change.id, status: change.from }).update(patch);
    return count === 1;
  }

  async insertAsk(db: Db, ask: NewAsk): Promise<ReferenceAsk> {
    const previous = (await db(ASKS).where({ request_id: ask.requestId }).max({ round: 'round' }).first()) as
      | { round: number | null }
      | undefined;
    const [row] = (await db(ASKS)
      .insert({
        request_id: ask.requestId,
        contact_id: ask.contactId,
        owner_id: ask.ownerId,
        round: (previous?.round ?? 0) + 1,
        approved_by: ask.approvedBy,
        approved_at: ask.approvedAt,
        note: ask.note,
        override_reason: ask.overrideReason,
      })
      .returning('*')) as AskRow[];
    return mapAsk(row!);
  }

  async getAsk(db: Db, id: number): Promise<ReferenceAsk | null> {
    const row = (await db(ASKS).where({ id }).first()) as AskRow | undefined;
    return row ? mapAsk(row) : null;
  }

  /** Records the owner's answer unless one was recorded already. */
  async answerAsk(db: Db, id: number, answer: OwnerAnswer, by: string, at: string): Promise<boolean> {
    const count = await db(ASKS)
      .where({ id })
      .whereNull('answer')
      .update({ answer, answered_by: by, answered_at: at });
    return count === 1;
  }

  /** How many times each of these contacts was asked (approved for a request) since a moment. */
  async countAsksSince(db: Db, contactIds: readonly number[], since: string): Promise<Map<number, number>> {
    const rows = await readInChunks(
      contactIds,
      (part) =>
        db(ASKS)
          .whereIn('contact_id', part)
          .where('approved_at', '>=', since)
          .groupBy('contact_id')
          .select('contact_id')
          .count({ n: '*' }) as Promise<{ contact_id: number; n: number | string }[]>,
    );
    return new Map(rows.map((r) => [r.contact_id, Number(r.n)]));
  }

  async appendHistory(db: Db, entry: Omit<RequestHistoryEntry, 'id'>): Promise<void> {
    await db(HISTORY).insert({
      request_id: entry.requestId,
      at: entry.at,
      actor_id: entry.actorId,
      action: entry.action,
      from_status: entry.fromStatus,
      to_status: entry.toStatus,
      reason: entry.reason,
    });
  }

  async history(db: Db, requestId: number): Promise<RequestHistoryEntry[]> {
    const rows = (await db(HISTORY).where({ request_id: requestId }).orderBy('id')) as HistoryRow[];
    return rows.map(mapHistory);
  }

  // --- the durable lifecycle: each write is conditional, so a restart or a second replica never does it twice ---

  /** Asks waiting on their account owner: the current, unanswered ask of a request awaiting the owner. */
  async waitingOnOwners(db: Db): Promise<{ request: ReferenceRequest; ask: ReferenceAsk }[]> {
    const rows = (await db(`${REQUESTS} as r`)
      .join(`${ASKS} as k`, 'k.id', 'r.current_ask_id')
      .where('r.status', 'awaiting_owner')
      .whereNull('k.answer')
      .select(db.raw('r.*'), db.raw('k.id as k_id'))) as (RequestRow & { k_id: number })[];
    const asks = await this.asksById(
      db,
      rows.map((r) => r.k_id),
    );
    return rows.map((r) => ({ request: mapRequest(r), ask: asks.get(r.k_id)! }));
  }

  async asksById(db: Db, ids: readonly number[]): Promise<Map<number, ReferenceAsk>> {
    const rows = await readInChunks(ids, (part) => db(ASKS).whereIn('id', part) as Promise<AskRow[]>);
    return new Map(rows.map((r) => [r.id, mapAsk(r)]));
  }

  /** The ask is the current one of a request that still waits on its owner (not cancelled, expired...). */
  private stillWaiting(db: Db) {
    return db(REQUESTS)
      .select(db.raw('1'))
      .whereRaw(`${REQUESTS}.id = ${ASKS}.request_id`)
      .whereRaw(`${REQUESTS}.current_ask_id = ${ASKS}.id`)
      .where(`${REQUESTS}.status`, 'awaiting_owner');
  }

  async markReminded(db: Db, askId: number, remindersSent: number, at: string): Promise<boolean> {
    const count = await db(ASKS)
      .where({ id: askId, reminders_sent: remindersSent })
      .whereNull('answer')
      .whereExists(this.stillWaiting(db))
      .update({ reminders_sent: remindersSent + 1, last_reminded_at: at });
    return count === 1;
  }

  async markEscalated(db: Db, askId: number, at: string): Promise<boolean> {
    const count = await db(ASKS)
      .where({ id: askId })
      .whereNull('answer')
      .whereNull('escalated_at')
      .whereExists(this.stillWaiting(db))
      .update({ escalated_at: at });
    return count === 1;
  }

  async snooze(db: Db, askId: number, until: string): Promise<boolean> {
    const count = await db(ASKS)
      .where({ id: askId })
      .whereNull('answer')
      .whereExists(this.stillWaiting(db))
      .update({ remind_after: until });
    return count === 1;
  }

  /** Requests still waiting (on managers or an owner) whose needed-by date is before `today`. */
  async waitingPast(db: Db, today: string): Promise<ReferenceRequest[]> {
    const rows = (await db(REQUESTS)
      .whereIn('status', ['submitted', 'awaiting_owner'])
      .where('needed_by', '<', today)) as RequestRow[];
    return rows.map(mapRequest);
  }

  /**
   * Agreed requests whose rep has not been asked "Did it happen?" yet and whose follow-up day (the date the
   * rep chose, or a day after the needed-by date) has begun by `today`, the date where it is latest.
   */
  async followupsPending(db: Db, today: string): Promise<ReferenceRequest[]> {
    const rows = (await db(REQUESTS)
      .where({ status: 'agreed' })
      .whereNull('followup_sent_at')
      .where((q) =>
        q
          .where((chosen) => chosen.whereNotNull('followup_on').where('followup_on', '<=', today))
          .orWhere((after) => after.whereNull('followup_on').where('needed_by', '<', today)),
      )) as RequestRow[];
    return rows.map(mapRequest);
  }

  async markFollowupSent(db: Db, requestId: number, at: string): Promise<boolean> {
    const count = await db(REQUESTS)
      .where({ id: requestId, status: 'agreed' })
      .whereNull('followup_sent_at')
      .update({ followup_sent_at: at });
    return count === 1;
  }

  async setFollowupOn(db: Db, requestId: number, date: string, at: string): Promise<boolean> {
    const count = await db(REQUESTS)
      .where({ id: requestId, status: 'agreed' })
      .update({ followup_on: date, followup_sent_at: null, updated_at: at });
    return count === 1;
  }

  async rateAsk(db: Db, askId: number, rating: number, at: string): Promise<void> {
    await db(ASKS).where({ id: askId }).update({ rating, rated_at: at });
  }

  /**
   * Remembers the contacts the request's card suggests now (replacing what it suggested before), and the
   * first time (`noneEligibleAt`) it found no eligible contact.
   */
  async setCardContacts(
    db: Db,
    requestId: number,
    contactIds: readonly number[],
    noneEligibleAt: string | null = null,
  ): Promise<void> {
    await db.transaction(async (trx) => {
      if (noneEligibleAt)
        await trx(REQUESTS)
          .where({ id: requestId })
          .whereNull('no_match_at')
          .update({ no_match_at: noneEligibleAt });
      await trx(CARD_CONTACTS).where({ request_id: requestId }).delete();
      const ids = [...new Set(contactIds)];
      if (ids.length > 0)
        await trx(CARD_CONTACTS).insert(ids.map((contact_id) => ({ request_id: requestId, contact_id })));
    });
  }

  /** Requests still to be decided whose card suggests any of these contacts. */
  async undecidedShowing(db: Db, contactIds: readonly number[]): Promise<number[]> {
    if (contactIds.length === 0) return [];
    return (await db(`${CARD_CONTACTS} as c`)
      .join(`${REQUESTS} as r`, 'r.id', 'c.request_id')
      .whereIn('c.contact_id', [...contactIds])
      .where('r.status', 'submitted')
      .distinct('r.id')
      .orderBy('r.id')
      .pluck('r.id')) as number[];
  }

  async waitingOnOwner(db: Db, ownerId: string): Promise<number[]> {
    const rows = (await db(`${REQUESTS} as r`)
      .join(`${ASKS} as k`, 'k.id', 'r.current_ask_id')
      .where('r.status', 'awaiting_owner')
      .where('k.owner_id', ownerId)
      .whereNull('k.answer')
      .orderBy('r.needed_by')
      .select('r.id')) as { id: number }[];
    return rows.map((r) => r.id);
  }

  /** Request ids in the given statuses, soonest needed first: the managers' queue. */
  async idsByStatus(db: Db, statuses: readonly RequestStatus[], limit: number): Promise<number[]> {
    const rows = (await db(REQUESTS)
      .whereIn('status', [...statuses])
      .orderBy('needed_by')
      .orderBy('id')
      .limit(limit)
      .select('id')) as { id: number }[];
    return rows.map((r) => r.id);
  }

  /** How many requests are in each of these statuses (a status with none is missing). */
  async countByStatus(db: Db, statuses: readonly RequestStatus[]): Promise<Map<RequestStatus, number>> {
    const rows = (await db(REQUESTS)
      .whereIn('status', [...statuses])
      .groupBy('status')
      .select('status')
      .count({ n: '*' })) as { status: RequestStatus; n: number | string }[];
    return new Map(rows.map((r) => [r.status, Number(r.n)]));
  }
}
