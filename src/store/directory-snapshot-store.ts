import type { Db } from './database.ts';
import { chunks } from './directory-store.ts';

/** A contact with the facts of its account, as the in-memory directory index keeps it. */
export interface SnapshotContactRow {
  id: number;
  account_id: number;
  name: string | null;
  title: string | null;
  seniority: string | null;
  customer_since: string | null;
  status: string;
  paused_until: string | null;
  pause_reason: string | null;
  account_name: string;
  industry: string | null;
  region: string | null;
  company_size: string;
  owner_id: string;
}

export interface SnapshotAskRow {
  contact_id: number;
  account_id: number;
  approved_at: string;
}

const CONTACT_COLUMNS = [
  'c.id',
  'c.account_id',
  'c.name',
  'c.title',
  'c.seniority',
  'c.customer_since',
  'c.status',
  'c.paused_until',
  'c.pause_reason',
  'a.name as account_name',
  'a.industry',
  'a.region',
  'a.company_size',
  'a.owner_id',
];

/** The reads behind the in-memory directory index: whole on start, then only what changed. */
export class DirectorySnapshotStore {
  /**
   * Contacts written (or whose account was written) with a directory revision above `afterRevision`:
   * a union, so each half uses its revision index (with an OR PostgreSQL scanned every contact).
   */
  async changedContacts(db: Db, afterRevision: number): Promise<SnapshotContactRow[]> {
    const changedAccounts = db('accounts').select('id').where('revision', '>', afterRevision);
    const withAccount = () =>
      db('contacts as c').join('accounts as a', 'a.id', 'c.account_id').select(CONTACT_COLUMNS);
    return (await withAccount()
      .where('c.revision', '>', afterRevision)
      .union(withAccount().whereIn('c.account_id', changedAccounts))) as SnapshotContactRow[];
  }

  /** One page of all contacts in id order, so a full load never holds the whole table twice. */
  async contactPage(db: Db, afterId: number, limit: number): Promise<SnapshotContactRow[]> {
    return (await db('contacts as c')
      .join('accounts as a', 'a.id', 'c.account_id')
      .where('c.id', '>', afterId)
      .orderBy('c.id')
      .limit(limit)
      .select(CONTACT_COLUMNS)) as SnapshotContactRow[];
  }

  async activitiesBetween(
    db: Db,
    fromId: number,
    toId: number,
  ): Promise<{ contact_id: number; activity: string }[]> {
    return db('contact_activities')
      .whereBetween('contact_id', [fromId, toId])
      .select('contact_id', 'activity');
  }

  async activities(
    db: Db,
    contactIds: readonly number[],
  ): Promise<{ contact_id: number; activity: string }[]> {
    const out: { contact_id: number; activity: string }[] = [];
    for (const part of chunks(contactIds)) {
      out.push(
        ...(await db('contact_activities').whereIn('contact_id', part).select('contact_id', 'activity')),
      );
    }
    return out;
  }

  async products(
    db: Db,
    accountIds: readonly number[] | null,
  ): Promise<{ account_id: number; product: string }[]> {
    if (accountIds === null) return db('account_products').select('account_id', 'product');
    const out: { account_id: number; product: string }[] = [];
    for (const part of chunks(accountIds)) {
      out.push(...(await db('account_products').whereIn('account_id', part).select('account_id', 'product')));
    }
    return out;
  }

  /** Asks approved since `approvedSince`. */
  async asks(db: Db, approvedSince: string): Promise<SnapshotAskRow[]> {
    return (await db('reference_asks as k')
      .join('contacts as c', 'c.id', 'k.contact_id')
      .where('k.approved_at', '>=', approvedSince)
      .select('k.contact_id', 'c.account_id', 'k.approved_at')) as SnapshotAskRow[];
  }

  /** Open asks per contact: waiting on the owner, or agreed and the needed-by date not yet past. */
  async openAsks(db: Db, today: string): Promise<Map<number, number>> {
    const rows = (await db('reference_requests as r')
      .join('reference_asks as k', 'k.id', 'r.current_ask_id')
      .where((w) =>
        w
          .where('r.status', 'awaiting_owner')
          .orWhere((a) => a.where('r.status', 'agreed').where('r.needed_by', '>=', today)),
      )
      .groupBy('k.contact_id')
      .select('k.contact_id')
      .count({ n: '*' })) as { contact_id: number; n: number | string }[];
    return new Map(rows.map((r) => [r.contact_id, Number(r.n)]));
  }

  async ratings(db: Db): Promise<Map<number, { average: number; count: number }>> {
    const rows = (await db('reference_asks')
      .whereNotNull('rating')
      .groupBy('contact_id')
      .select('contact_id')
      .avg({ average: 'rating' })
      .count({ n: '*' })) as { contact_id: number; average: number | string; n: number | string }[];
    return new Map(rows.map((r) => [r.contact_id, { average: Number(r.average), count: Number(r.n) }]));
  }

  /** Contacts who agreed to help with an earlier request for the same prospect. */
  async spokeWithProspect(db: Db, prospectKey: string): Promise<Set<number>> {
    const rows = (await db('reference_asks as k')
      .join('reference_requests as r', 'r.id', 'k.request_id')
      .where('r.prospect_key', prospectKey)
      .where('k.answer', 'agreed')
      .distinct('k.contact_id')) as { contact_id: number }[];
    return new Set(rows.map((r) => r.contact_id));
  }
}
