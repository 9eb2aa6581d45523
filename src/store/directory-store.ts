import type { Account, ContactProfile, ReferenceContact } from '../domain/reference.ts';
import type { DirectoryFacets } from '../domain/request-draft.ts';
import type { Activity, ContactStatus, Seniority } from '../domain/vocabulary.ts';
import type { Db } from './database.ts';
import { stampRevision } from './revision-store.ts';

const ACCOUNTS = 'accounts';
const PRODUCTS = 'account_products';
const CONTACTS = 'contacts';
const ACTIVITIES = 'contact_activities';

/** SQLite allows 999 bound parameters per statement in old builds; stay well below. */
const CHUNK = 400;

export interface AccountRow {
  id: number;
  account_key: string;
  external_id: string | null;
  name: string;
  industry: string | null;
  region: string | null;
  company_size: string;
  owner_id: string;
}

export interface ContactRow {
  id: number;
  account_id: number;
  email: string;
  name: string | null;
  title: string | null;
  seniority: string | null;
  customer_since: string | null;
  status: string;
  paused_until?: string | null;
  pause_reason?: string | null;
  notes: string | null;
}

export type AccountFields = Omit<AccountRow, 'id'>;
export type ContactFields = Omit<ContactRow, 'id'>;

const mapAccount = (r: AccountRow, products: string[]): Account => ({
  id: r.id,
  externalId: r.external_id,
  name: r.name,
  industry: r.industry,
  region: r.region,
  companySize: r.company_size,
  products,
  ownerId: r.owner_id,
});

const mapContact = (r: ContactRow, activities: Activity[]): ReferenceContact => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  email: r.email,
  title: r.title,
  seniority: r.seniority as Seniority | null,
  activities,
  customerSince: r.customer_since,
  status: r.status as ContactStatus,
  pausedUntil: r.paused_until ?? null,
  pauseReason: r.pause_reason ?? null,
  notes: r.notes,
});

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function groupValues<K, V>(rows: { key: K; value: V }[]): Map<K, V[]> {
  const map = new Map<K, V[]>();
  for (const { key, value } of rows) {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }
  return map;
}

/** All SQL about accounts and reference contacts. */
export class DirectoryStore {
  async facets(db: Db): Promise<DirectoryFacets> {
    const distinct = async (table: string, column: string) =>
      (
        (await db(table).distinct(column).whereNotNull(column).orderBy(column).limit(100)) as Record<
          string,
          string
        >[]
      ).map((r) => r[column]!);
    const [industries, products, regions, companySizes] = await Promise.all([
      distinct(ACCOUNTS, 'industry'),
      distinct(PRODUCTS, 'product'),
      distinct(ACCOUNTS, 'region'),
      distinct(ACCOUNTS, 'company_size'),
    ]);
    return { industries, products, regions, companySizes };
  }

  /** One contact with their account; `forUpdate` locks the contact row for the rest of the transaction. */
  async profile(db: Db, id: number, opts: { forUpdate?: boolean } = {}): Promise<ContactProfile | null> {
    if (opts.forUpdate) await db(CONTACTS).where({ id }).select('id').forUpdate();
    return (await this.profiles(db, [id]))[0] ?? null;
  }

  /** Contacts with their accounts, in the order of `ids`. */
  async profiles(db: Db, ids: readonly number[]): Promise<ContactProfile[]> {
    if (ids.length === 0) return [];
    const contacts: ContactRow[] = [];
    const activities: { contact_id: number; activity: string }[] = [];
    for (const part of chunks(ids)) {
      contacts.push(...((await db(CONTACTS).whereIn('id', part)) as ContactRow[]));
      activities.push(...(await db(ACTIVITIES).whereIn('contact_id', part).orderBy('activity')));
    }
    const accounts = await this.accountsById(db, [...new Set(contacts.map((c) => c.account_id))]);
    const byContact = groupValues(
      activities.map((a) => ({ key: a.contact_id, value: a.activity as Activity })),
    );
    const byId = new Map(contacts.map((c) => [c.id, c]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      const account = row && accounts.get(row.account_id);
      return row && account ? [{ ...mapContact(row, byContact.get(id) ?? []), account }] : [];
    });
  }

  async accountsById(db: Db, ids: readonly number[]): Promise<Map<number, Account>> {
    const rows: AccountRow[] = [];
    const products: { account_id: number; product: string }[] = [];
    for (const part of chunks(ids)) {
      rows.push(...((await db(ACCOUNTS).whereIn('id', part)) as AccountRow[]));
      products.push(...(await db(PRODUCTS).whereIn('account_id', part).orderBy('product')));
    }
    const byAccount = groupValues(products.map((p) => ({ key: p.account_id, value: p.product })));
    return new Map(rows.map((r) => [r.id, mapAccount(r, byAccount.get(r.id) ?? [])]));
  }

  // --- single contacts saved from Slack ---

  async contactsByEmail(
    db: Db,
    emails: readonly string[],
  ): Promise<Map<string, ContactRow & { activities: string[] }>> {
    const rows: ContactRow[] = [];
    for (const part of chunks(emails))
      rows.push(...((await db(CONTACTS).whereIn('email', part)) as ContactRow[]));
    const activities: { contact_id: number; activity: string }[] = [];
    for (const part of chunks(rows.map((r) => r.id))) {
      activities.push(...(await db(ACTIVITIES).whereIn('contact_id', part)));
    }
    const byContact = groupValues(activities.map((a) => ({ key: a.contact_id, value: a.activity })));
    return new Map(rows.map((r) => [r.email, { ...r, activities: byContact.get(r.id) ?? [] }]));
  }

  async updateContact(db: Db, id: number, fields: Partial<ContactFields>, at: string): Promise<void> {
    await db(CONTACTS)
      .where({ id })
      .update({ ...fields, updated_at: at, revision: await stampRevision(db, 'directory') });
  }

  /** Pauses, resumes or retires a contact; the pause fields are cleared unless pausing. */
  async setStatus(
    db: Db,
    id: number,
    change: { status: ContactStatus; pausedUntil?: string | null; pauseReason?: string | null },
    at: string,
  ): Promise<boolean> {
    const revision = await stampRevision(db, 'directory');
    const count = await db(CONTACTS)
      .where({ id })
      .update({
        status: change.status,
        paused_until: change.status === 'paused' ? (change.pausedUntil ?? null) : null,
        pause_reason: change.status === 'paused' ? (change.pauseReason ?? null) : null,
        updated_at: at,
        revision,
      });
    return count === 1;
  }

  /** Contacts whose pause ended before `today` become active again; returns how many. */
  async resumeEndedPauses(db: Db, today: string, at: string): Promise<number> {
    const ended = () =>
      db(CONTACTS).where({ status: 'paused' }).whereNotNull('paused_until').where('paused_until', '<', today);
    // Most passes find none: only then take the directory counter's lock.
    if (!(await ended().first('id'))) return 0;
    const revision = await stampRevision(db, 'directory');
    return ended().update({
      status: 'active',
      paused_until: null,
      pause_reason: null,
      updated_at: at,
      revision,
    });
  }

  /** The contact's asks, newest first: for their profile. */
  async askHistory(db: Db, contactId: number, limit: number): Promise<ContactAskHistory[]> {
    const rows = (await db('reference_asks as k')
      .join('reference_requests as r', 'r.id', 'k.request_id')
      .where('k.contact_id', contactId)
      .orderBy('k.approved_at', 'desc')
      .limit(limit)
      .select(
        'k.request_id',
        'r.prospect',
        'r.activity',
        'r.requester_id',
        'r.status',
        'k.approved_at',
        'k.answer',
        'k.override_reason',
      )) as {
      request_id: number;
      prospect: string;
      activity: string;
      requester_id: string;
      status: string;
      approved_at: string;
      answer: string | null;
      override_reason: string | null;
    }[];
    return rows.map((r) => ({
      requestId: r.request_id,
      prospect: r.prospect,
      activity: r.activity as Activity,
      requesterId: r.requester_id,
      requestStatus: r.status,
      approvedAt: r.approved_at,
      answer: r.answer,
      overridden: r.override_reason !== null,
    }));
  }
}

/** One ask of a contact, as their profile lists it. */
export interface ContactAskHistory {
  requestId: number;
  prospect: string;
  activity: Activity;
  requesterId: string;
  requestStatus: string;
  approvedAt: string;
  answer: string | null;
  overridden: boolean;
}
