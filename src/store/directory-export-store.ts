import type { Db } from './database.ts';
import {
  ACCOUNT_FIELDS,
  type AccountFields,
  activitiesByContact,
  CONTACT_FIELDS,
  type ContactFields,
  productsByAccount,
  slices,
} from './directory-import-store.ts';

export type ExportAccount = AccountFields & { id: number; products: string[] };
export type ExportContact = ContactFields & { id: number; activities: string[] };

/** How many accounts are read at a time: a few thousand contacts, far below any parameter limit. */
const ACCOUNTS_PER_READ = 500;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Reads the whole directory for export, a slice of accounts at a time. Portable knex. */
export class DirectoryExportStore {
  /**
   * Every account with its contacts, accounts ordered by name then key and contacts by email.
   * Sorting happens here, not in SQL, so the order is the same on SQLite and PostgreSQL.
   */
  async *accountsWithContacts(db: Db): AsyncGenerator<{ account: ExportAccount; contacts: ExportContact[] }> {
    const accounts = (await db('accounts').select('id', ...ACCOUNT_FIELDS)) as (AccountFields & {
      id: number;
    })[];
    accounts.sort((a, b) => byText(a.name, b.name) || byText(a.account_key, b.account_key));
    for (const part of slices(accounts, ACCOUNTS_PER_READ)) {
      const ids = part.map((a) => a.id);
      const products = await productsByAccount(db, ids);
      const contacts = (await db('contacts')
        .whereIn('account_id', ids)
        .select('id', ...CONTACT_FIELDS)) as (ContactFields & { id: number })[];
      const activities = await activitiesByContact(
        db,
        contacts.map((c) => c.id),
      );
      const byAccount = new Map<number, ExportContact[]>();
      for (const c of contacts) {
        const list = byAccount.get(c.account_id) ?? [];
        list.push({ ...c, activities: activities.get(c.id) ?? [] });
        byAccount.set(c.account_id, list);
      }
      for (const account of part) {
        const list = (byAccount.get(account.id) ?? []).sort((a, b) => byText(a.email, b.email));
        yield { account: { ...account, products: products.get(account.id) ?? [] }, contacts: list };
      }
    }
  }
}
