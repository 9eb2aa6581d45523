import {
  ACCOUNT_COLUMNS,
  accountKey,
  DIRECTORY_COLUMNS,
  type DirectoryColumn,
  type DirectoryEntry,
  parseDirectoryEntry,
  REQUIRED_COLUMNS,
} from '../domain/directory-entry.ts';
import type { Db } from '../store/database.ts';
import {
  type AccountFields,
  type ContactFields,
  DirectoryImportStore,
  type RowPatch,
  type StoredAccount,
  type StoredContact,
} from '../store/directory-import-store.ts';
import { RevisionStore } from '../store/revision-store.ts';
import { type ImportIssue, readCsvTable } from './csv-table.ts';

export type { ImportIssue } from './csv-table.ts';

export interface ImportSummary {
  rows: number;
  accounts: { created: number; updated: number; unchanged: number };
  contacts: { created: number; updated: number; unchanged: number };
}

export type ImportResult = { ok: true; summary: ImportSummary } | { ok: false; issues: ImportIssue[] };

export interface LineEntry {
  line: number;
  entry: DirectoryEntry;
}

const PAUSE_COLUMNS: readonly DirectoryColumn[] = ['paused_until', 'pause_reason'];

const accountSignature = (e: DirectoryEntry): Record<string, string> => ({
  account: e.account,
  industry: e.industry ?? '',
  region: e.region ?? '',
  company_size: e.companySize,
  products: [...e.products].sort().join(';'),
  owner: e.owner,
});

/**
 * Validates every row, then the rows together: one email once, one account described one way.
 * A file's bytes are decoded as strict UTF-8 first. `pausesGiven` says whether the file has a
 * pause column at all: one without (e.g. from before they existed) leaves pauses as they are.
 */
export function validateDirectoryCsv(csv: string | Uint8Array): {
  entries: LineEntry[];
  issues: ImportIssue[];
  pausesGiven: boolean;
} {
  const read = readCsvTable(csv, DIRECTORY_COLUMNS, REQUIRED_COLUMNS);
  // Every row carries each column of the header, so the rows tell whether the file has pause columns.
  const pausesGiven = read.rows.some(({ record }) => PAUSE_COLUMNS.some((c) => c in record));
  const issues = [...read.issues];
  const entries: LineEntry[] = [];
  const emails = new Map<string, number>();
  const accounts = new Map<string, { line: number; signature: Record<string, string> }>();
  for (const { line, record } of read.rows) {
    const result = parseDirectoryEntry(record);
    if (!result.ok) {
      issues.push(...result.issues.map((i) => ({ line, column: i.column, reason: i.reason })));
      continue;
    }
    const { entry } = result;
    const firstEmail = emails.get(entry.contactEmail);
    if (firstEmail !== undefined) {
      issues.push({
        line,
        column: 'contact_email',
        reason: `the same contact is already on line ${firstEmail}`,
      });
      continue;
    }
    emails.set(entry.contactEmail, line);
    const key = accountKey(entry);
    const signature = accountSignature(entry);
    const first = accounts.get(key);
    if (!first) accounts.set(key, { line, signature });
    else {
      for (const column of ACCOUNT_COLUMNS) {
        if (first.signature[column] !== signature[column]) {
          issues.push({ line, column, reason: `differs from line ${first.line} for the same account` });
        }
      }
    }
    entries.push({ line, entry });
  }
  return { entries, issues: issues.sort((a, b) => a.line - b.line), pausesGiven };
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

function changedFields<T extends object>(current: T, wanted: T): Partial<T> {
  const patch: Partial<T> = {};
  for (const key of Object.keys(wanted) as (keyof T)[]) {
    if (current[key] !== wanted[key]) patch[key] = wanted[key];
  }
  return patch;
}

const accountFields = (e: DirectoryEntry): AccountFields => ({
  account_key: accountKey(e),
  external_id: e.accountId,
  name: e.account,
  industry: e.industry,
  region: e.region,
  company_size: e.companySize,
  owner_id: e.owner,
});

const contactFields = (e: DirectoryEntry, accountId: number): ContactFields => ({
  account_id: accountId,
  email: e.contactEmail,
  name: e.contactName,
  title: e.title,
  seniority: e.seniority,
  customer_since: e.customerSince,
  status: e.status,
  paused_until: e.pausedUntil,
  pause_reason: e.pauseReason,
  notes: e.notes,
});

/** A file without pause columns says nothing of pauses: a contact who stays paused keeps theirs. */
function keepPause(e: LineEntry, current: StoredContact | undefined): LineEntry {
  if (current?.status !== 'paused' || e.entry.status !== 'paused') return e;
  return {
    ...e,
    entry: { ...e.entry, pausedUntil: current.paused_until, pauseReason: current.pause_reason },
  };
}

const emptySummary = (rows: number): ImportSummary => ({
  rows,
  accounts: { created: 0, updated: 0, unchanged: 0 },
  contacts: { created: 0, updated: 0, unchanged: 0 },
});

export const changedAnything = (s: ImportSummary): boolean =>
  s.accounts.created + s.accounts.updated + s.contacts.created + s.contacts.updated > 0;

/**
 * Loads the directory from CSV: all rows are validated first, then written in one
 * transaction. Rows that match the database change nothing, so a re-import is a no-op.
 * Writes are in bulk (multi-row inserts, updates only for changed rows), so 100,000 rows take seconds.
 */
export class DirectoryImport {
  constructor(
    private readonly db: Db,
    private readonly store = new DirectoryImportStore(),
    private readonly revisions = new RevisionStore(),
  ) {}

  /** `csv` is a file's bytes, or text already decoded. */
  async importCsv(csv: string | Uint8Array, now: Date): Promise<ImportResult> {
    const { entries, issues, pausesGiven } = validateDirectoryCsv(csv);
    if (issues.length > 0) return { ok: false, issues };
    const summary = await this.db.transaction(async (trx) => {
      const result = await this.apply(trx, entries, now.toISOString(), pausesGiven);
      // Tells every bot process, in the same transaction, that its in-memory directory index is stale.
      if (changedAnything(result)) await this.revisions.bump(trx, 'directory');
      return result;
    });
    return { ok: true, summary };
  }

  /** Writes already-validated entries inside the caller's transaction (e.g. one contact saved from Slack). */
  applyEntries(trx: Db, entries: readonly DirectoryEntry[], now: Date): Promise<ImportSummary> {
    return this.apply(
      trx,
      entries.map((entry, i) => ({ line: i + 1, entry })),
      now.toISOString(),
      true,
    );
  }

  private async apply(
    trx: Db,
    entries: readonly LineEntry[],
    at: string,
    pausesGiven: boolean,
  ): Promise<ImportSummary> {
    const summary = emptySummary(entries.length);
    const contacts = await this.store.contactsByEmail(
      trx,
      entries.map((e) => e.entry.contactEmail),
    );
    const wanted = pausesGiven
      ? entries
      : entries.map((e) => keepPause(e, contacts.get(e.entry.contactEmail)));
    const accountIds = await this.applyAccounts(trx, wanted, contacts, at, summary);
    await this.applyContacts(trx, wanted, contacts, accountIds, at, summary);
    return summary;
  }

  /** Creates new accounts, updates changed (or renamed) ones; returns every account's id by key. */
  private async applyAccounts(
    trx: Db,
    entries: readonly LineEntry[],
    contacts: ReadonlyMap<string, StoredContact>,
    at: string,
    summary: ImportSummary,
  ): Promise<Map<string, number>> {
    const firstOfAccount = new Map<string, DirectoryEntry>();
    for (const { entry } of entries) {
      const key = accountKey(entry);
      if (!firstOfAccount.has(key)) firstOfAccount.set(key, entry);
    }
    const existing = await this.store.accountsByKey(trx, [...firstOfAccount.keys()]);
    for (const [key, account] of await this.renamedAccounts(trx, entries, existing, contacts)) {
      existing.set(key, account);
    }
    const ids = new Map<string, number>();
    const created: DirectoryEntry[] = [];
    const updates: RowPatch<AccountFields>[] = [];
    const products = new Map<number, readonly string[]>();
    for (const [key, entry] of firstOfAccount) {
      const current = existing.get(key);
      if (!current) {
        created.push(entry);
        continue;
      }
      ids.set(key, current.id);
      const { products: currentProducts, id, ...currentFields } = current;
      const patch = changedFields(currentFields, accountFields(entry));
      const productsChanged = !sameList(currentProducts, entry.products);
      if (Object.keys(patch).length > 0 || productsChanged) {
        updates.push({ id, patch });
        if (productsChanged) products.set(id, entry.products);
        summary.accounts.updated++;
      } else summary.accounts.unchanged++;
    }
    const newIds = await this.store.insertAccounts(trx, created.map(accountFields), at);
    for (const entry of created) {
      const id = newIds.get(accountKey(entry))!;
      ids.set(accountKey(entry), id);
      products.set(id, entry.products);
    }
    summary.accounts.created = created.length;
    await this.store.updateAccounts(trx, updates, at);
    await this.store.replaceProducts(trx, products);
    return ids;
  }

  /**
   * An account without account_id is known by its name, so a new name (or a first account_id) is a
   * new key. It is the same account, renamed, when every one of its contacts comes under one new key
   * no account has yet and its old name is gone from the file; otherwise the contacts under the new
   * key move to a new account. Returns each renamed account by its new key.
   */
  private async renamedAccounts(
    trx: Db,
    entries: readonly LineEntry[],
    existing: ReadonlyMap<string, StoredAccount>,
    contacts: ReadonlyMap<string, StoredContact>,
  ): Promise<Map<string, StoredAccount>> {
    // For each new name: the accounts its known contacts come from, with how many from each.
    const sources = new Map<string, Map<number, number>>();
    for (const { entry } of entries) {
      const key = accountKey(entry);
      const contact = contacts.get(entry.contactEmail);
      if (existing.has(key) || !contact) continue;
      const counts = sources.get(key) ?? new Map<number, number>();
      counts.set(contact.account_id, (counts.get(contact.account_id) ?? 0) + 1);
      sources.set(key, counts);
    }
    const candidates = [...sources].flatMap(([key, counts]) =>
      counts.size === 1 ? [{ key, from: [...counts][0]! }] : [],
    );
    if (candidates.length === 0) return new Map();
    const ids = candidates.map((c) => c.from[0]);
    const accounts = await this.store.accountsById(trx, ids);
    const sizes = await this.store.contactCounts(trx, ids);
    const keysInFile = new Set(entries.map((e) => accountKey(e.entry)));
    const renamed = new Map<string, StoredAccount>();
    for (const { key, from } of candidates) {
      const [id, moved] = from;
      const account = accounts.get(id)!;
      if (account.external_id === null && sizes.get(id) === moved && !keysInFile.has(account.account_key)) {
        renamed.set(key, account);
      }
    }
    return renamed;
  }

  private async applyContacts(
    trx: Db,
    entries: readonly LineEntry[],
    existing: ReadonlyMap<string, StoredContact>,
    accountIds: ReadonlyMap<string, number>,
    at: string,
    summary: ImportSummary,
  ): Promise<void> {
    const created: { entry: DirectoryEntry; fields: ContactFields }[] = [];
    const updates: RowPatch<ContactFields>[] = [];
    const activities = new Map<number, readonly string[]>();
    for (const { entry } of entries) {
      const wanted = contactFields(entry, accountIds.get(accountKey(entry))!);
      const current = existing.get(entry.contactEmail);
      if (!current) {
        created.push({ entry, fields: wanted });
        continue;
      }
      const { activities: currentActivities, id, ...currentFields } = current;
      const patch = changedFields(currentFields, wanted);
      const activitiesChanged = !sameList(currentActivities, entry.activities);
      if (Object.keys(patch).length > 0 || activitiesChanged) {
        updates.push({ id, patch });
        if (activitiesChanged) activities.set(id, entry.activities);
        summary.contacts.updated++;
      } else summary.contacts.unchanged++;
    }
    const newIds = await this.store.insertContacts(
      trx,
      created.map((c) => c.fields),
      at,
    );
    for (const { entry } of created) activities.set(newIds.get(entry.contactEmail)!, entry.activities);
    summary.contacts.created = created.length;
    await this.store.updateContacts(trx, updates, at);
    await this.store.replaceActivities(trx, activities);
  }
}
