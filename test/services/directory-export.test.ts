import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDirectoryCsv } from '../../bench/directory-data.ts';
import { DIRECTORY_COLUMNS } from '../../src/domain/directory-entry.ts';
import { DirectoryExport } from '../../src/services/directory-export.ts';
import { DirectoryImport } from '../../src/services/directory-import.ts';
import type { Db } from '../../src/store/database.ts';
import { openTempDatabase, type TempDatabase } from '../store/temp-database.ts';

const HEADER = DIRECTORY_COLUMNS.join(',');
const csv = (...lines: string[]) => `${[HEADER, ...lines].join('\n')}\n`;

// Deliberately unsorted: accounts, contacts, products and activities all come out sorted.
const DIRECTORY = csv(
  'Globex,SF-002,Manufacturing,North America,Enterprise,Billing;Analytics,U0OWNER2,Pat Quiet,pat@globex.example,Manager,manager,reference_call,2020-01-01,paused,2027-01-31,Renewal in progress,',
  'Acme Health,SF-001,Healthcare,EMEA,1000-4999,Billing;Analytics,U0OWNER1,Raj Patel,raj@acme.example,Director of IT,director,quote;reference_call,2022-01-15,active,,,',
  'Globex,SF-002,Manufacturing,North America,Enterprise,Billing;Analytics,U0OWNER2,Kim Lee,kim@globex.example,VP Operations,VP,Quote;Reference Call,2019-06-30,active,,,',
  'Acme Health,SF-001,Healthcare,EMEA,1000-4999,Billing;Analytics,U0OWNER1,"Doe, Jane",jane@acme.example,"CFO, ""Finance""",c_level,reference_call;case_study,2021-03-01,active,,,"Line one\nLine two"',
  'Initech,,,,50-249,,U0OWNER3,,bob@initech.example,,,,,retired,,,',
);

const EXPORTED = csv(
  'Acme Health,SF-001,Healthcare,EMEA,1000-4999,Analytics;Billing,U0OWNER1,"Doe, Jane",jane@acme.example,"CFO, ""Finance""",c_level,case_study;reference_call,2021-03-01,active,,,"Line one\nLine two"',
  'Acme Health,SF-001,Healthcare,EMEA,1000-4999,Analytics;Billing,U0OWNER1,Raj Patel,raj@acme.example,Director of IT,director,quote;reference_call,2022-01-15,active,,,',
  'Globex,SF-002,Manufacturing,North America,Enterprise,Analytics;Billing,U0OWNER2,Kim Lee,kim@globex.example,VP Operations,vp,quote;reference_call,2019-06-30,active,,,',
  'Globex,SF-002,Manufacturing,North America,Enterprise,Analytics;Billing,U0OWNER2,Pat Quiet,pat@globex.example,Manager,manager,reference_call,2020-01-01,paused,2027-01-31,Renewal in progress,',
  'Initech,,,,50-249,,U0OWNER3,,bob@initech.example,,,,,retired,,,',
);

const T1 = new Date('2026-11-20T10:00:00.000Z');
const T2 = new Date('2026-11-21T10:00:00.000Z');

describe('DirectoryExport', () => {
  const temps: TempDatabase[] = [];
  let db: Db;

  const freshDb = async () => {
    const temp = await openTempDatabase();
    temps.push(temp);
    return temp.db;
  };
  const importInto = async (target: Db, text: string, at = T1) => {
    const result = await new DirectoryImport(target).importCsv(text, at);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return result.summary;
  };
  const snapshot = async (target: Db) => ({
    accounts: await target('accounts').orderBy('id'),
    products: await target('account_products').orderBy(['account_id', 'product']),
    contacts: await target('contacts').orderBy('id'),
    activities: await target('contact_activities').orderBy(['contact_id', 'activity']),
  });

  beforeEach(async () => {
    db = await freshDb();
  });

  afterEach(async () => {
    for (const temp of temps.splice(0)) await temp.close();
  });

  it('writes only the header for an empty directory', async () => {
    expect(await new DirectoryExport(db).exportCsv()).toBe(`${HEADER}\n`);
  });

  it('writes one row per contact in the import format, accounts by name, contacts by email', async () => {
    await importInto(db, DIRECTORY);
    expect(await new DirectoryExport(db).exportCsv()).toBe(EXPORTED);
  });

  it('writes the status and pause as stored, whatever they were changed to since', async () => {
    await importInto(db, DIRECTORY);
    await db('contacts')
      .where({ email: 'raj@acme.example' })
      .update({ status: 'paused', paused_until: '2027-03-01', pause_reason: '=Open P1 ticket' });
    const rows = (await new DirectoryExport(db).exportCsv()).split('\n');
    expect(rows.find((r) => r.includes('raj@acme.example'))).toMatch(
      /,2022-01-15,paused,2027-03-01,'=Open P1 ticket,$/,
    );
  });

  it('hands the CSV out in chunks that add up to the whole file', async () => {
    await importInto(db, generateDirectoryCsv({ contacts: 2_500, accounts: 600, seed: 3 }));
    const exporter = new DirectoryExport(db);
    const chunks: string[] = [];
    const contacts = await exporter.writeCsv(async (chunk) => {
      chunks.push(chunk);
    });
    expect(contacts).toBe(2_500);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(await exporter.exportCsv());
  });

  it('round trip: importing the export into the same database changes nothing', async () => {
    await importInto(db, DIRECTORY);
    const before = await snapshot(db);
    const summary = await importInto(db, await new DirectoryExport(db).exportCsv(), T2);
    expect(summary).toEqual({
      rows: 5,
      accounts: { created: 0, updated: 0, unchanged: 3 },
      contacts: { created: 0, updated: 0, unchanged: 5 },
    });
    expect(await snapshot(db)).toEqual(before);
    expect(await db('contacts').where({ email: 'pat@globex.example' }).first()).toMatchObject({
      status: 'paused',
      paused_until: '2027-01-31',
      pause_reason: 'Renewal in progress',
    });
  });

  it('round trip: export, import into an empty database, export again gives the same bytes', async () => {
    await importInto(db, DIRECTORY);
    const first = await new DirectoryExport(db).exportCsv();
    const other = await freshDb();
    await importInto(other, first, T2);
    expect(await new DirectoryExport(other).exportCsv()).toBe(first);
  });

  describe('cells a spreadsheet would run as formulas', () => {
    const FORMULAS = {
      account: '=HYPERLINK("https://evil.example","Open")',
      industry: "+cmd|' /C calc'!A0",
      region: '-1+1',
      company_size: '@SUM(A1:A2)',
      products: '@SUM(A1:A2);-1+1',
      owner: 'U0OWNER9',
      contact_name: "''=1+1",
      contact_email: 'eve@evil.example',
      title: '-2',
      notes: '=1+1',
    };
    // Written as a spreadsheet would hand them over; `''=1+1` is how a file says `'=1+1`.
    const row = stringify([FORMULAS], { columns: [...DIRECTORY_COLUMNS] });

    it('are written behind a quote, and importing the export changes nothing', async () => {
      await importInto(db, `${DIRECTORY}${row}`);
      const stored = await db('accounts').where({ owner_id: 'U0OWNER9' }).first();
      expect(stored).toMatchObject({ name: FORMULAS.account, industry: FORMULAS.industry, region: '-1+1' });
      expect(await db('contacts').where({ email: 'eve@evil.example' }).first()).toMatchObject({
        name: "'=1+1",
        title: '-2',
        notes: '=1+1',
      });

      const exported = await new DirectoryExport(db).exportCsv();
      const rows = parse(exported, { columns: true }) as Record<string, string>[];
      for (const cell of rows.flatMap((row) => Object.values(row))) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      expect(rows.find((row) => row.contact_email === 'eve@evil.example')).toMatchObject({
        account: `'${FORMULAS.account}`,
        industry: `'${FORMULAS.industry}`,
        region: "'-1+1",
        company_size: "'@SUM(A1:A2)",
        products: "'-1+1;@SUM(A1:A2)",
        contact_name: "''=1+1",
        title: "'-2",
        notes: "'=1+1",
      });
      expect(rows.find((row) => row.contact_email === 'jane@acme.example')).toMatchObject({
        company_size: '1000-4999',
      });

      const before = await snapshot(db);
      const again = await importInto(db, exported, T2);
      expect(again.accounts).toEqual({ created: 0, updated: 0, unchanged: 4 });
      expect(again.contacts).toEqual({ created: 0, updated: 0, unchanged: 6 });
      expect(await snapshot(db)).toEqual(before);
      const other = await freshDb();
      await importInto(other, exported, T2);
      expect(await new DirectoryExport(other).exportCsv()).toBe(exported);
    });
  });

  it('round trip holds for a few thousand generated contacts', async () => {
    await importInto(db, generateDirectoryCsv({ contacts: 3_000, accounts: 700, seed: 11 }));
    const first = await new DirectoryExport(db).exportCsv();
    const again = await importInto(db, first, T2);
    expect(again.contacts).toEqual({ created: 0, updated: 0, unchanged: 3_000 });
    expect(again.accounts).toEqual({ created: 0, updated: 0, unchanged: 700 });
    const other = await freshDb();
    await importInto(other, first, T2);
    expect(await new DirectoryExport(other).exportCsv()).toBe(first);
  });
});
