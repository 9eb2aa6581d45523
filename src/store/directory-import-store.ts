import type { Db } from './database.ts';
import { readInChunks } from './read-in-chunks.ts';
import { stampRevision } from './revision-store.ts';

const ACCOUNTS = 'accounts';
const PRODUCTS = 'account_products';
const CONTACTS = 'contacts';
const ACTIVITIES = 'contact_activities';

/**
 * Bound parameters per statement: SQLite builds before 3.32 allow 999 (newer ones 32766, PostgreSQL
 * 65535), so every statement stays under the smallest. Knex writes a multi-row insert on SQLite as
 * `select ... union all select ...`, which SQLite caps at 500 terms: rows per insert stay under that too.
 */
const MAX_BINDINGS = 999;
const MAX_ROWS_PER_INSERT = 500;

export const ACCOUNT_FIELDS = [
  'account_key',
  'external_id',
  'name',
  'industry',
  'region',
  'company_size',
  'owner_id',
] as const;
export const CONTACT_FIELDS = [
  'account_id',
  'email',
  'name',
  'title',
  'seniority',
  'customer_since',
  'status',
  'paused_until',
  'pause_reason',
  'notes',
] as const;

/** An account's columns as the directory CSV sets them. */
export interface AccountFields {
  account_key: string;
  external_id: string | null;
  name: string;
  industry: string | null;
  region: string | null;
  company_size: string;
  owner_id: string;
}

/** A contact's columns as the directory CSV sets them; other columns (timestamps) are not read. */
export interface ContactFields {
  account_id: number;
  email: string;
  name: string | null;
  title: string | null;
  seniority: string | null;
  customer_since: string | null;
  status: string;
  paused_until: string | null;
  pause_reason: string | null;
  notes: string | null;
}

export type StoredAccount = AccountFields & { id: number; products: string[] };
export type StoredContact = ContactFields & { id: number; activities: string[] };

export interface RowPatch<T> {
  id: number;
  patch: Partial<T>;
}

/** Splits `items` into slices of at most `size`. */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs a `where column in (...)` read in slices that stay under the bound-parameter limit. */
const readIn = <R>(values: readonly (string | number)[], read: (part: (string | number)[]) => Promise<R[]>) =>
  readInChunks(values, read, MAX_BINDINGS - 10);

function group<K, V>(rows: readonly { key: K; value: V }[]): Map<K, V[]> {
  const map = new Map<K, V[]>();
  for (const { key, value } of rows) {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }
  return map;
}

/** Multi-row inserts, as many rows per statement as the limits allow. */
async function insertRows(db: Db, table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!).length;
  const perInsert = Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_BINDINGS / columns));
  for (const part of slices(rows, perInsert)) await db(table).insert(part);
}

/** Each account's products, sorted. */
export async function productsByAccount(
  db: Db,
  accountIds: readonly number[],
): Promise<Map<number, string[]>> {
  const rows = await readIn(
    accountIds,
    (part) =>
      db(PRODUCTS).whereIn('account_id', part).select('account_id', 'product') as Promise<
        { account_id: number; product: string }[]
      >,
  );
  const byAccount = group(rows.map((r) => ({ key: r.account_id, value: r.product })));
  for (const list of byAccount.values()) list.sort();
  return byAccount;
}

/** Each contact's activities, sorted. */
export async function activitiesByContact(
  db: Db,
  contactIds: readonly number[],
): Promise<Map<number, string[]>> {
  const rows = await readIn(
    contactIds,
    (part) =>
      db(ACTIVITIES).whereIn('contact_id', part).select('contact_id', 'activity') as Promise<
        { contact_id: number; activity: string }[]
      >,
  );
  const byContact = group(rows.map((r) => ({ key: r.contact_id, value: r.activity })));
  for (const list of byContact.values()) list.sort();
  return byContact;
}

/**
 * The SQL of a bulk directory import: reads what exists in slices, inserts in multi-row
 * statements, and updates only what changed. Portable knex: runs on SQLite and PostgreSQL.
 */
export class DirectoryImportStore {
  async accountsByKey(db: Db, keys: readonly string[]): Promise<Map<string, StoredAccount>> {
    const accounts = await this.accountsWhere(db, 'account_key', keys);
    return new Map(accounts.map((a) => [a.account_key, a]));
  }

  async accountsById(db: Db, ids: readonly number[]): Promise<Map<number, StoredAccount>> {
    const accounts = await this.accountsWhere(db, 'id', ids);
    return new Map(accounts.map((a) => [a.id, a]));
  }

  /** How many contacts each of these accounts has (an account without any is left out). */
  async contactCounts(db: Db, accountIds: readonly number[]): Promise<Map<number, number>> {
    const rows = await readIn(
      accountIds,
      (part) =>
        db(CONTACTS)
          .whereIn('account_id', part)
          .groupBy('account_id')
          .select('account_id')
          .count({ n: '*' }) as Promise<{ account_id: number; n: number | string }[]>,
    );
    return new Map(rows.map((r) => [r.account_id, Number(r.n)]));
  }

  private async accountsWhere(
    db: Db,
    column: 'account_key' | 'id',
    values: readonly (string | number)[],
  ): Promise<StoredAccount[]> {
    const rows = await readIn(
      values,
      (part) =>
        db(ACCOUNTS)
          .whereIn(column, part)
          .select('id', ...ACCOUNT_FIELDS) as Promise<(AccountFields & { id: number })[]>,
    );
    const products = await productsByAccount(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({ ...r, products: products.get(r.id) ?? [] }));
  }

  async contactsByEmail(db: Db, emails: readonly string[]): Promise<Map<string, StoredContact>> {
    const rows = await readIn(
      emails,
      (part) =>
        db(CONTACTS)
          .whereIn('email', part)
          .select('id', ...CONTACT_FIELDS) as Promise<(ContactFields & { id: number })[]>,
    );
    const activities = await activitiesByContact(
      db,
      rows.map((r) => r.id),
    );
    return new Map(rows.map((r) => [r.email, { ...r, activities: activities.get(r.id) ?? [] }]));
  }

  /** Inserts the accounts and returns their new ids by account key. */
  async insertAccounts(db: Db, accounts: readonly AccountFields[], at: string): Promise<Map<string, number>> {
    if (accounts.length === 0) return new Map();
    const revision = await stampRevision(db, 'directory');
    await insertRows(
      db,
      ACCOUNTS,
      accounts.map((a) => ({ ...pick(a, ACCOUNT_FIELDS), created_at: at, updated_at: at, revision })),
    );
    const rows = await readIn(
      accounts.map((a) => a.account_key),
      (part) =>
        db(ACCOUNTS).whereIn('account_key', part).select('id', 'account_key') as Promise<
          { id: number; account_key: string }[]
        >,
    );
    return new Map(rows.map((r) => [r.account_key, r.id]));
  }

  /** Inserts the contacts and returns their new ids by email. */
  async insertContacts(db: Db, contacts: readonly ContactFields[], at: string): Promise<Map<string, number>> {
    if (contacts.length === 0) return new Map();
    const revision = await stampRevision(db, 'directory');
    await insertRows(
      db,
      CONTACTS,
      contacts.map((c) => ({ ...pick(c, CONTACT_FIELDS), created_at: at, updated_at: at, revision })),
    );
    const rows = await readIn(
      contacts.map((c) => c.email),
      (part) =>
        db(CONTACTS).whereIn('email', part).select('id', 'email') as Promise<{ id: number; email: string }[]>,
    );
    return new Map(rows.map((r) => [r.email, r.id]));
  }

  async updateAccounts(db: Db, changes: readonly RowPatch<AccountFields>[], at: string): Promise<void> {
    await updateRows(db, ACCOUNTS, changes, at);
  }

  async updateContacts(db: Db, changes: readonly RowPatch<ContactFields>[], at: string): Promise<void> {
    await updateRows(db, CONTACTS, changes, at);
  }

  /** Sets the products of these accounts to exactly the given lists. */
  async replaceProducts(db: Db, products: ReadonlyMap<number, readonly string[]>): Promise<void> {
    const ids = [...products.keys()];
    for (const part of slices(ids, MAX_BINDINGS - 10))
      await db(PRODUCTS).whereIn('account_id', part).delete();
    const rows = [...products].flatMap(([id, list]) => list.map((product) => ({ account_id: id, product })));
    await insertRows(db, PRODUCTS, rows);
  }

  /** Sets the activities of these contacts to exactly the given lists. */
  async replaceActivities(db: Db, activities: ReadonlyMap<number, readonly string[]>): Promise<void> {
    const ids = [...activities.keys()];
    for (const part of slices(ids, MAX_BINDINGS - 10))
      await db(ACTIVITIES).whereIn('contact_id', part).delete();
    const rows = [...activities].flatMap(([id, list]) =>
      list.map((activity) => ({ contact_id: id, activity })),
    );
    await insertRows(db, ACTIVITIES, rows);
  }
}

function pick<T extends object, K extends keyof T>(row: T, columns: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const column of columns) out[column] = row[column];
  return out;
}

/** Rows that get the very same patch (e.g. a new owner for many accounts) share one statement. */
async function updateRows<T>(
  db: Db,
  table: string,
  changes: readonly RowPatch<T>[],
  at: string,
): Promise<void> {
  const byPatch = new Map<string, { patch: Partial<T>; ids: number[] }>();
  for (const { id, patch } of changes) {
    const key = JSON.stringify(Object.entries(patch).sort(([a], [b]) => (a < b ? -1 : 1)));
    const same = byPatch.get(key);
    if (same) same.ids.push(id);
    else byPatch.set(key, { patch, ids: [id] });
  }
  const revision = byPatch.size > 0 ? await stampRevision(db, 'directory') : 0;
  for (const { patch, ids } of byPatch.values()) {
    const bindings = Object.keys(patch).length + 2;
    for (const part of slices(ids, MAX_BINDINGS - bindings - 10)) {
      await db(table)
        .whereIn('id', part)
        .update({ ...patch, updated_at: at, revision });
    }
  }
}
