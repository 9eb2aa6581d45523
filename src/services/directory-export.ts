import { DIRECTORY_COLUMNS, type DirectoryColumn } from '../domain/directory-entry.ts';
import type { Db } from '../store/database.ts';
import {
  DirectoryExportStore,
  type ExportAccount,
  type ExportContact,
} from '../store/directory-export-store.ts';
import { csvText } from './csv-cells.ts';

/** Rows turned into CSV text at a time. */
const ROWS_PER_CHUNK = 2_000;

type CsvRecord = Record<DirectoryColumn, string>;

const csvRecord = (account: ExportAccount, contact: ExportContact): CsvRecord => ({
  account: account.name,
  account_id: account.external_id ?? '',
  industry: account.industry ?? '',
  region: account.region ?? '',
  company_size: account.company_size,
  products: account.products.join(';'),
  owner: account.owner_id,
  contact_name: contact.name ?? '',
  contact_email: contact.email,
  title: contact.title ?? '',
  seniority: contact.seniority ?? '',
  activities: contact.activities.join(';'),
  customer_since: contact.customer_since ?? '',
  status: contact.status,
  paused_until: contact.paused_until ?? '',
  pause_reason: contact.pause_reason ?? '',
  notes: contact.notes ?? '',
});

/** Every cell goes out neutralized, so opening the export in a spreadsheet runs nothing. */
const toCsv = (records: CsvRecord[], header: boolean) => csvText(records, DIRECTORY_COLUMNS, header);

/**
 * Writes the directory as CSV in the import format: one row per contact, accounts by name,
 * contacts by email, lists sorted. Importing the result changes nothing.
 */
export class DirectoryExport {
  constructor(
    private readonly db: Db,
    private readonly store = new DirectoryExportStore(),
  ) {}

  /** The CSV in pieces (the header first), so a large directory never sits in memory as one string. */
  async *csvChunks(): AsyncGenerator<{ text: string; contacts: number }> {
    let records: CsvRecord[] = [];
    let header = true;
    for await (const { account, contacts } of this.store.accountsWithContacts(this.db)) {
      for (const contact of contacts) records.push(csvRecord(account, contact));
      if (records.length >= ROWS_PER_CHUNK) {
        yield { text: toCsv(records, header), contacts: records.length };
        header = false;
        records = [];
      }
    }
    if (header || records.length > 0) yield { text: toCsv(records, header), contacts: records.length };
  }

  /** Hands every chunk to `write`, waiting for it each time; returns the number of contacts written. */
  async writeCsv(write: (text: string) => Promise<void>): Promise<number> {
    let contacts = 0;
    for await (const chunk of this.csvChunks()) {
      await write(chunk.text);
      contacts += chunk.contacts;
    }
    return contacts;
  }

  /** The whole CSV as one string (tests, small directories). */
  async exportCsv(): Promise<string> {
    let text = '';
    await this.writeCsv(async (chunk) => {
      text += chunk;
    });
    return text;
  }
}
