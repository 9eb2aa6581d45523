import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDirectoryCsv, seedPastAsks } from '../../bench/directory-data.ts';
import { accountKey, DIRECTORY_COLUMNS } from '../../src/domain/directory-entry.ts';
import {
  DirectoryImport,
  type ImportIssue,
  validateDirectoryCsv,
} from '../../src/services/directory-import.ts';
import type { Db } from '../../src/store/database.ts';
import { openTempDatabase, type TempDatabase } from '../store/temp-database.ts';

// Most files here have no pause columns, like files written before there were any.
const HEADER = DIRECTORY_COLUMNS.filter((c) => c !== 'paused_until' && c !== 'pause_reason').join(',');

const ROWS = {
  jane: 'Acme Health,SF-001,Healthcare,EMEA,1000-4999,Analytics;Billing,U0OWNER1,Jane Doe,jane@acme.example,CFO,c_level,reference_call;case_study,2021-03-01,active,Great advocate',
  raj: 'Acme Health,SF-001,Healthcare,EMEA,1000-4999,Analytics;Billing,U0OWNER1,Raj Patel,raj@acme.example,Director of IT,director,reference_call;quote,2022-01-15,active,',
  kim: 'Globex,SF-002,Manufacturing,North America,Enterprise,Analytics,U0OWNER2,Kim Lee,kim@globex.example,VP Operations,vp,reference_call;quote,2019-06-30,active,',
  pat: 'Globex,SF-002,Manufacturing,North America,Enterprise,Analytics,U0OWNER2,Pat Quiet,pat@globex.example,Manager,manager,reference_call,2020-01-01,paused,',
};

const csv = (...lines: string[]) => `${[HEADER, ...lines].join('\n')}\n`;
const DIRECTORY = csv(ROWS.jane, ROWS.raj, ROWS.kim, ROWS.pat);

const T1 = new Date('2026-11-20T10:00:00.000Z');
const T2 = new Date('2026-11-21T10:00:00.000Z');

describe('validateDirectoryCsv', () => {
  it('reads a valid file into entries with their line numbers', () => {
    const { entries, issues } = validateDirectoryCsv(DIRECTORY);
    expect(issues).toEqual([]);
    expect(entries.map((e) => [e.line, e.entry.contactEmail])).toEqual([
      [2, 'jane@acme.example'],
      [3, 'raj@acme.example'],
      [4, 'kim@globex.example'],
      [5, 'pat@globex.example'],
    ]);
    expect(entries[3]!.entry).toMatchObject({ status: 'paused', seniority: 'manager', owner: 'U0OWNER2' });
  });

  it('matches header names case-insensitively and ignores unknown columns', () => {
    const text = [
      'Account,Company_Size,OWNER,CONTACT_EMAIL,Contact_Name,Favourite_Colour',
      'Acme,Enterprise,U0OWNER1,jane@acme.example,Jane Doe,blue',
    ].join('\n');
    const { entries, issues } = validateDirectoryCsv(text);
    expect(issues).toEqual([]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.entry).toMatchObject({
      account: 'Acme',
      companySize: 'Enterprise',
      owner: 'U0OWNER1',
      contactEmail: 'jane@acme.example',
      contactName: 'Jane Doe',
    });
  });

  it('reports each missing required column on line 1', () => {
    const { entries, issues } = validateDirectoryCsv('account,owner,notes\nAcme,U0OWNER1,hi\n');
    expect(entries).toEqual([]);
    expect(issues).toHaveLength(2);
    expect(issues.map((i) => [i.line, i.column])).toEqual([
      [1, 'company_size'],
      [1, 'contact_email'],
    ]);
    for (const issue of issues) expect(issue.reason).toMatch(/missing/);
  });

  it('reports every bad row with its line, column and reason, sorted by line', () => {
    const text = csv(
      ROWS.jane,
      ROWS.raj.replace('U0OWNER1', 'nobody'), // line 3: bad owner (and it then differs from line 2)
      ROWS.kim,
      ROWS.pat.replace('pat@globex.example', 'pat-at-globex').replace(',manager,', ',intern,'), // line 5
      'Initech,,,,,,U0OWNER3,Bob,bob@initech.example,,,,2021-02-30,,', // line 6: no size, bad date
    );
    const { issues } = validateDirectoryCsv(text);
    const found = issues.map((i) => [i.line, i.column]);
    expect(found).toEqual(
      expect.arrayContaining([
        [3, 'owner'],
        [5, 'contact_email'],
        [5, 'seniority'],
        [6, 'company_size'],
        [6, 'customer_since'],
      ]),
    );
    expect(issues.every((i) => i.reason.length > 0)).toBe(true);
    expect(issues.map((i) => i.line)).toEqual([...issues.map((i) => i.line)].sort((a, b) => a - b));
    expect(issues.find((i) => i.line === 3 && i.column === 'owner')?.reason).toBe(
      'must be a Slack user id such as U0123ABCD',
    );
    expect(issues.find((i) => i.line === 5 && i.column === 'contact_email')?.reason).toBe(
      'is not an email address',
    );
    expect(issues.find((i) => i.line === 6 && i.column === 'company_size')?.reason).toBe('is required');
    expect(issues.some((i) => i.line === 2 || i.line === 4)).toBe(false);
  });

  it.each([
    [';-separated', ';'],
    ['tab-separated', '\t'],
  ])(
    'says a %s file is not comma-separated instead of listing every column as missing',
    (what, delimiter) => {
      const text = `${DIRECTORY_COLUMNS.join(delimiter)}\n${ROWS.raj.replaceAll(',', delimiter)}\n`;
      const { entries, issues } = validateDirectoryCsv(text);
      expect(entries).toEqual([]);
      expect(issues).toEqual([{ line: 1, column: null, reason: expect.stringContaining(what) }]);
      expect(issues[0]!.reason).toMatch(/comma-separated/);
    },
  );

  it('still reports missing columns for a ;-separated header of unknown names', () => {
    const { issues } = validateDirectoryCsv('name;mail\nJane;jane@acme.example\n');
    expect(issues.map((i) => i.column)).toEqual(['account', 'company_size', 'owner', 'contact_email']);
  });

  it('takes the quote off a cell the export wrote behind one, and only one quote', () => {
    const row = `${ROWS.raj.replace('Raj Patel', "'=1+1").replace('Director of IT', "''@SUM(A1)")}'plain`;
    const { entries, issues } = validateDirectoryCsv(csv(row));
    expect(issues).toEqual([]);
    expect(entries[0]!.entry).toMatchObject({ contactName: '=1+1', title: "'@SUM(A1)", notes: "'plain" });
  });

  it('reports a row with the wrong number of fields', () => {
    const text = csv(ROWS.jane, 'Globex,SF-002,Manufacturing', `${ROWS.kim},extra`);
    const { entries, issues } = validateDirectoryCsv(text);
    expect(issues).toEqual([
      { line: 3, column: null, reason: 'has 3 fields but the header has 15' },
      { line: 4, column: null, reason: 'has 16 fields but the header has 15' },
    ]);
    expect(entries.map((e) => e.line)).toEqual([2]);
  });

  it('reports an email that is already in the file, whatever its case', () => {
    const text = csv(ROWS.jane, ROWS.raj, ROWS.raj.replace('raj@acme.example', 'JANE@Acme.example'));
    const { issues } = validateDirectoryCsv(text);
    expect(issues).toEqual([
      { line: 4, column: 'contact_email', reason: 'the same contact is already on line 2' },
    ]);
  });

  it('reports account columns that differ between rows of the same account', () => {
    const text = csv(
      ROWS.jane,
      ROWS.raj
        .replace('EMEA', 'APAC')
        .replace('U0OWNER1', 'U0OWNER9')
        .replace('Analytics;Billing', 'Analytics'),
    );
    const { issues } = validateDirectoryCsv(text);
    expect(issues.map((i) => i.column).sort()).toEqual(['owner', 'products', 'region']);
    for (const issue of issues) {
      expect(issue.line).toBe(3);
      expect(issue.reason).toBe('differs from line 2 for the same account');
    }
  });

  it('does not see a different order of the same products as a conflict', () => {
    const text = csv(ROWS.jane, ROWS.raj.replace('Analytics;Billing', 'Billing; Analytics'));
    expect(validateDirectoryCsv(text).issues).toEqual([]);
  });

  it('groups rows without an account id by account name, case-insensitively', () => {
    const text = csv(
      ROWS.jane.replace('SF-001', ''),
      ROWS.raj.replace('SF-001', '').replace('Acme Health', 'ACME HEALTH'),
    );
    const { issues } = validateDirectoryCsv(text);
    expect(issues).toEqual([
      { line: 3, column: 'account', reason: 'differs from line 2 for the same account' },
    ]);
  });

  it('reads quoted fields with commas, quotes and newlines, and counts lines correctly', () => {
    const text = csv(
      'Acme Health,SF-001,Healthcare,EMEA,1000-4999,Analytics,U0OWNER1,"Doe, Jane",jane@acme.example,"CFO, ""Finance""",c_level,reference_call,,active,"Line one\nLine two, with comma"',
      'Acme Health,SF-001,Healthcare,EMEA,1000-4999,Analytics,nobody,Raj,raj@acme.example,,,,,,',
    );
    const { entries, issues } = validateDirectoryCsv(text);
    expect(entries[0]!.entry).toMatchObject({
      contactName: 'Doe, Jane',
      title: 'CFO, "Finance"',
      notes: 'Line one\nLine two, with comma',
    });
    // The quoted newline makes the second row start on line 4.
    expect(issues.find((i) => i.column === 'owner')?.line).toBe(4);
  });

  it('reports a bad row that spans lines on the line where it starts', () => {
    const text = csv(
      'Acme Health,SF-001,Healthcare,EMEA,1000-4999,Analytics,nobody,Jane,jane@acme.example,,,,,,"one\ntwo\nthree"',
      ROWS.kim,
    );
    const { issues } = validateDirectoryCsv(text);
    expect(issues).toEqual([expect.objectContaining({ line: 2, column: 'owner' })]);
  });

  it('reports a column that appears twice in the header', () => {
    const { issues } = validateDirectoryCsv(`${HEADER},Account\n${ROWS.jane},Other\n`);
    expect(issues).toEqual([
      { line: 1, column: 'account', reason: 'this column appears twice in the header' },
    ]);
  });

  it('ignores a byte-order mark and Windows line endings', () => {
    const text = `\uFEFF${[HEADER, ROWS.jane, ROWS.kim].join('\r\n')}\r\n`;
    const { entries, issues } = validateDirectoryCsv(text);
    expect(issues).toEqual([]);
    expect(entries.map((e) => e.entry.account)).toEqual(['Acme Health', 'Globex']);
    expect(entries[1]!.entry.notes).toBeNull();
  });

  it('skips empty lines', () => {
    const { entries, issues } = validateDirectoryCsv(`${HEADER}\n\n${ROWS.jane}\n\n${ROWS.kim}\n\n`);
    expect(issues).toEqual([]);
    expect(entries.map((e) => e.line)).toEqual([3, 5]);
  });

  it('reports a file that is not CSV', () => {
    const { entries, issues } = validateDirectoryCsv(`${HEADER}\n"unterminated,quote\n`);
    expect(entries).toEqual([]);
    expect(issues.length).toBeGreaterThan(0);
  });

  it('reports an empty file as missing every required column', () => {
    const { issues } = validateDirectoryCsv('');
    expect(issues.map((i) => i.column)).toEqual(['account', 'company_size', 'owner', 'contact_email']);
  });
});

describe('DirectoryImport.importCsv', () => {
  let temp: TempDatabase;
  let db: Db;
  let importer: DirectoryImport;

  beforeEach(async () => {
    temp = await openTempDatabase();
    db = temp.db;
    importer = new DirectoryImport(db);
  });

  afterEach(async () => {
    await temp.close();
  });

  const count = async (table: string) =>
    Number(((await db(table).count({ n: '*' })) as { n: number }[])[0]!.n);
  const counts = async () => ({
    accounts: await count('accounts'),
    products: await count('account_products'),
    contacts: await count('contacts'),
    activities: await count('contact_activities'),
  });
  const snapshot = async () => ({
    accounts: await db('accounts').orderBy('id'),
    products: await db('account_products').orderBy(['account_id', 'product']),
    contacts: await db('contacts').orderBy('id'),
    activities: await db('contact_activities').orderBy(['contact_id', 'activity']),
  });
  const contact = async (email: string) => db('contacts').where({ email }).first();
  const activitiesOf = async (email: string) =>
    (
      (await db('contact_activities')
        .join('contacts', 'contacts.id', 'contact_activities.contact_id')
        .where('contacts.email', email)
        .orderBy('activity')
        .select('activity')) as { activity: string }[]
    ).map((r) => r.activity);
  const productsOf = async (accountKey: string) =>
    (
      (await db('account_products')
        .join('accounts', 'accounts.id', 'account_products.account_id')
        .where('accounts.account_key', accountKey)
        .orderBy('product')
        .select('product')) as { product: string }[]
    ).map((r) => r.product);

  it('creates the accounts, contacts, products and activities', async () => {
    const result = await importer.importCsv(DIRECTORY, T1);
    expect(result).toEqual({
      ok: true,
      summary: {
        rows: 4,
        accounts: { created: 2, updated: 0, unchanged: 0 },
        contacts: { created: 4, updated: 0, unchanged: 0 },
      },
    });
    expect(await counts()).toEqual({ accounts: 2, products: 3, contacts: 4, activities: 7 });
    expect(await db('accounts').where({ account_key: 'id:SF-001' }).first()).toMatchObject({
      external_id: 'SF-001',
      name: 'Acme Health',
      industry: 'Healthcare',
      region: 'EMEA',
      company_size: '1000-4999',
      owner_id: 'U0OWNER1',
      created_at: T1.toISOString(),
      updated_at: T1.toISOString(),
    });
    expect(await contact('pat@globex.example')).toMatchObject({
      name: 'Pat Quiet',
      title: 'Manager',
      seniority: 'manager',
      status: 'paused',
      customer_since: '2020-01-01',
      notes: null,
    });
    expect(await activitiesOf('jane@acme.example')).toEqual(['case_study', 'reference_call']);
    expect(await productsOf('id:SF-001')).toEqual(['Analytics', 'Billing']);
  });

  it('changes nothing when the same file is imported again', async () => {
    await importer.importCsv(DIRECTORY, T1);
    const before = await snapshot();
    const result = await importer.importCsv(DIRECTORY, T2);
    expect(result).toEqual({
      ok: true,
      summary: {
        rows: 4,
        accounts: { created: 0, updated: 0, unchanged: 2 },
        contacts: { created: 0, updated: 0, unchanged: 4 },
      },
    });
    const after = await snapshot();
    expect(after).toEqual(before);
    expect(after.contacts.every((c: { updated_at: string }) => c.updated_at === T1.toISOString())).toBe(true);
    expect(after.accounts.every((a: { updated_at: string }) => a.updated_at === T1.toISOString())).toBe(true);
  });

  it('sees the same file with other spelling (case, order of lists, BOM) as unchanged', async () => {
    await importer.importCsv(DIRECTORY, T1);
    const before = await snapshot();
    const respelled = `\uFEFF${csv(
      ROWS.jane
        .replace('Analytics;Billing', 'Billing;Analytics')
        .replace('jane@acme.example', 'Jane@Acme.Example')
        .replace('reference_call;case_study', 'Case Study;Reference Call'),
      ROWS.raj.replace('Analytics;Billing', 'Billing;Analytics').replace(',director,', ',Director,'),
      ROWS.kim.replace(',vp,', ',VP,'),
      ROWS.pat.replace(',paused,', ',Paused,'),
    )}`;
    const result = await importer.importCsv(respelled, T2);
    expect(result.ok && result.summary.contacts).toEqual({ created: 0, updated: 0, unchanged: 4 });
    expect(result.ok && result.summary.accounts).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(await snapshot()).toEqual(before);
  });

  it('updates a changed contact, and only it', async () => {
    await importer.importCsv(DIRECTORY, T1);
    const before = await snapshot();
    const changed = csv(ROWS.jane, ROWS.raj.replace('Director of IT', 'CIO'), ROWS.kim, ROWS.pat);
    const result = await importer.importCsv(changed, T2);
    expect(result.ok && result.summary).toEqual({
      rows: 4,
      accounts: { created: 0, updated: 0, unchanged: 2 },
      contacts: { created: 0, updated: 1, unchanged: 3 },
    });
    const raj = await contact('raj@acme.example');
    expect(raj).toMatchObject({ title: 'CIO', updated_at: T2.toISOString(), created_at: T1.toISOString() });
    const after = await snapshot();
    const others = (rows: { email: string }[]) => rows.filter((c) => c.email !== 'raj@acme.example');
    expect(others(after.contacts)).toEqual(others(before.contacts));
    expect(after.accounts).toEqual(before.accounts);
    expect(after.activities).toEqual(before.activities);
    expect(after.contacts.find((c: { email: string }) => c.email === 'raj@acme.example').id).toBe(
      before.contacts.find((c: { email: string }) => c.email === 'raj@acme.example').id,
    );
  });

  it('clears a column that became blank', async () => {
    await importer.importCsv(DIRECTORY, T1);
    await importer.importCsv(csv(ROWS.jane.replace('Great advocate', ''), ROWS.raj, ROWS.kim, ROWS.pat), T2);
    expect(await contact('jane@acme.example')).toMatchObject({ notes: null, updated_at: T2.toISOString() });
  });

  it('replaces changed activities', async () => {
    await importer.importCsv(DIRECTORY, T1);
    const changed = csv(
      ROWS.jane.replace('reference_call;case_study', 'quote;speaking'),
      ROWS.raj,
      ROWS.kim,
      ROWS.pat.replace(',reference_call,', ',,'),
    );
    const result = await importer.importCsv(changed, T2);
    expect(result.ok && result.summary.contacts).toEqual({ created: 0, updated: 2, unchanged: 2 });
    expect(await activitiesOf('jane@acme.example')).toEqual(['quote', 'speaking']);
    expect(await activitiesOf('pat@globex.example')).toEqual([]);
    expect(await activitiesOf('raj@acme.example')).toEqual(['quote', 'reference_call']);
    expect((await contact('jane@acme.example')).updated_at).toBe(T2.toISOString());
    expect((await contact('raj@acme.example')).updated_at).toBe(T1.toISOString());
  });

  it('replaces changed products and updates account fields', async () => {
    await importer.importCsv(DIRECTORY, T1);
    const changed = csv(
      ROWS.jane.replace('Analytics;Billing', 'Billing;Payroll'),
      ROWS.raj.replace('Analytics;Billing', 'Billing;Payroll'),
      ROWS.kim.replace('U0OWNER2', 'U0OWNER3'),
      ROWS.pat.replace('U0OWNER2', 'U0OWNER3'),
    );
    const result = await importer.importCsv(changed, T2);
    expect(result.ok && result.summary).toEqual({
      rows: 4,
      accounts: { created: 0, updated: 2, unchanged: 0 },
      contacts: { created: 0, updated: 0, unchanged: 4 },
    });
    expect(await productsOf('id:SF-001')).toEqual(['Billing', 'Payroll']);
    expect(await productsOf('id:SF-002')).toEqual(['Analytics']);
    expect(await db('accounts').where({ account_key: 'id:SF-002' }).first()).toMatchObject({
      owner_id: 'U0OWNER3',
      updated_at: T2.toISOString(),
    });
    expect((await contact('kim@globex.example')).updated_at).toBe(T1.toISOString());
  });

  it('adds new rows next to existing ones and moves a contact to another account', async () => {
    await importer.importCsv(DIRECTORY, T1);
    const changed = csv(
      ROWS.jane,
      ROWS.raj,
      ROWS.kim,
      ROWS.pat
        .replace(/^Globex,SF-002/, 'Acme Health,SF-001')
        .replace(
          'Manufacturing,North America,Enterprise,Analytics,U0OWNER2',
          'Healthcare,EMEA,1000-4999,Analytics;Billing,U0OWNER1',
        ),
      'Initech,,Software,EMEA,50-249,,U0OWNER4,Bob,bob@initech.example,,,,,,',
    );
    const result = await importer.importCsv(changed, T2);
    expect(result.ok && result.summary).toEqual({
      rows: 5,
      accounts: { created: 1, updated: 0, unchanged: 2 },
      contacts: { created: 1, updated: 1, unchanged: 3 },
    });
    const acme = await db('accounts').where({ account_key: 'id:SF-001' }).first();
    expect((await contact('pat@globex.example')).account_id).toBe(acme.id);
    expect(await db('accounts').where({ account_key: 'name:initech' }).first()).toMatchObject({
      external_id: null,
      name: 'Initech',
    });
  });

  it('writes nothing when the file is invalid, even after valid rows', async () => {
    const result = await importer.importCsv(
      csv(ROWS.jane, ROWS.raj, ROWS.kim, ROWS.pat.replace('U0OWNER2', 'bad owner')),
      T1,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.some((i: ImportIssue) => i.line === 5 && i.column === 'owner')).toBe(
      true,
    );
    expect(await counts()).toEqual({ accounts: 0, products: 0, contacts: 0, activities: 0 });
  });

  it('leaves an existing directory untouched when a later file is invalid', async () => {
    await importer.importCsv(DIRECTORY, T1);
    const before = await snapshot();
    const result = await importer.importCsv(
      csv(
        ROWS.jane.replace('CFO', 'CEO'),
        ROWS.raj,
        'Initech,,Software,EMEA,50-249,,U0OWNER4,Bob,bob@initech.example,,,,,,',
        ROWS.kim,
        ROWS.pat.replace('2020-01-01', 'yesterday'),
      ),
      T2,
    );
    expect(result).toEqual({
      ok: false,
      issues: [{ line: 6, column: 'customer_since', reason: 'must be a date written YYYY-MM-DD' }],
    });
    expect(await snapshot()).toEqual(before);
  });

  const jurgen = ROWS.kim.replace('Kim Lee', 'Jürgen Müller');

  it('refuses a file that is not UTF-8, naming the line of the first bad byte, and writes nothing', async () => {
    const windows1252 = Buffer.from(csv(ROWS.jane, ROWS.raj, jurgen), 'latin1');
    expect(windows1252.includes(0xfc)).toBe(true);
    const result = await importer.importCsv(windows1252, T1);
    expect(result).toEqual({
      ok: false,
      issues: [{ line: 4, column: null, reason: expect.stringMatching(/not valid UTF-8.*CSV UTF-8/) }],
    });
    expect(await counts()).toEqual({ accounts: 0, products: 0, contacts: 0, activities: 0 });
  });

  it('counts the lines inside quoted fields when it names the bad line', async () => {
    const twoLines = ROWS.jane.replace('Great advocate', '"Great\nadvocate"');
    const result = await importer.importCsv(Buffer.from(csv(twoLines, jurgen), 'latin1'), T1);
    expect(!result.ok && result.issues.map((i) => i.line)).toEqual([4]);
  });

  it('reads UTF-8 bytes, with or without a byte order mark', async () => {
    const utf8 = Buffer.from(csv(jurgen), 'utf8');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(ROWS.jane), 'utf8')]);
    expect((await importer.importCsv(utf8, T1)).ok).toBe(true);
    expect((await importer.importCsv(bom, T1)).ok).toBe(true);
    expect(await contact('kim@globex.example')).toMatchObject({ name: 'Jürgen Müller' });
    expect(await contact('jane@acme.example')).toMatchObject({ name: 'Jane Doe' });
  });

  it('writes nothing when a required column is missing', async () => {
    const result = await importer.importCsv('account,owner\nAcme,U0OWNER1\n', T1);
    expect(result.ok).toBe(false);
    expect(await counts()).toEqual({ accounts: 0, products: 0, contacts: 0, activities: 0 });
  });

  const revision = async () =>
    Number(((await db('refdesk_revisions').where({ name: 'directory' }).first()) as { value: number }).value);

  it('bumps the directory revision with each import that changed something, and only then', async () => {
    const start = await revision();
    await importer.importCsv(DIRECTORY, T1);
    const imported = await revision();
    expect(imported).toBeGreaterThan(start);

    await importer.importCsv(DIRECTORY, T2);
    await importer.importCsv(csv(ROWS.jane, ROWS.raj.replace('U0OWNER1', 'nobody')), T2);
    expect(await revision()).toBe(imported);

    const changed = await importer.importCsv(
      csv(ROWS.jane, ROWS.raj, ROWS.kim, ROWS.pat.replace(',paused,', ',active,')),
      T2,
    );
    expect(changed.ok && changed.summary.contacts).toEqual({ created: 0, updated: 1, unchanged: 3 });
    expect(await revision()).toBeGreaterThan(imported);
  });

  it('imports a few thousand generated rows in bulk, and a re-import is a no-op', async () => {
    const text = generateDirectoryCsv({ contacts: 3_000, accounts: 700, seed: 5 });
    const first = await importer.importCsv(text, T1);
    expect(first).toEqual({
      ok: true,
      summary: {
        rows: 3_000,
        accounts: { created: 700, updated: 0, unchanged: 0 },
        contacts: { created: 3_000, updated: 0, unchanged: 0 },
      },
    });
    const { entries } = validateDirectoryCsv(text);
    const products = new Map(entries.map((e) => [e.entry.accountId ?? e.entry.account, e.entry.products]));
    expect(await counts()).toEqual({
      accounts: 700,
      products: [...products.values()].reduce((n, p) => n + p.length, 0),
      contacts: 3_000,
      activities: entries.reduce((n, e) => n + e.entry.activities.length, 0),
    });
    const sample = entries[1_234]!.entry;
    expect(await activitiesOf(sample.contactEmail)).toEqual([...sample.activities].sort());
    expect(await contact(sample.contactEmail)).toMatchObject({
      name: sample.contactName,
      title: sample.title,
      status: sample.status,
      customer_since: sample.customerSince,
    });

    const before = await snapshot();
    const again = await importer.importCsv(text, T2);
    expect(again.ok && again.summary).toEqual({
      rows: 3_000,
      accounts: { created: 0, updated: 0, unchanged: 700 },
      contacts: { created: 0, updated: 0, unchanged: 3_000 },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('updates only the changed rows of a large file', async () => {
    const text = generateDirectoryCsv({ contacts: 2_000, accounts: 500, seed: 9 });
    await importer.importCsv(text, T1);
    const records = parse(text, { columns: true }) as Record<string, string>[];
    const changed = stringify(
      records.map((r, i) => (i % 100 === 0 ? { ...r, title: 'Retitled' } : r)),
      { header: true, columns: [...DIRECTORY_COLUMNS] },
    );
    const result = await importer.importCsv(changed, T2);
    expect(result.ok && result.summary.contacts).toEqual({ created: 0, updated: 20, unchanged: 1_980 });
    expect(result.ok && result.summary.accounts).toEqual({ created: 0, updated: 0, unchanged: 500 });
    const retitled = (await db('contacts').where({ title: 'Retitled' })) as { updated_at: string }[];
    expect(retitled).toHaveLength(20);
    expect(retitled.every((c) => c.updated_at === T2.toISOString())).toBe(true);
    expect(await db('contacts').where({ updated_at: T2.toISOString() })).toHaveLength(20);
  });

  describe('an account without account_id, known by its name', () => {
    const bob = 'Initech,,Software,EMEA,50-249,Analytics,U0OWNER4,Bob,bob@initech.example,,,,,active,';
    const milton = bob.replaceAll('Bob', 'Milton').replace('bob@', 'milton@');
    const renamed = (row: string) => row.replace(/^Initech,/, 'Initech Corp,');
    const accounts = () => db('accounts').orderBy('id').select('id', 'account_key', 'external_id', 'name');
    const accountOf = async (email: string) => (await contact(email)).account_id as number;

    it('is renamed when all its contacts come under the new name', async () => {
      await importer.importCsv(csv(ROWS.jane, bob, milton), T1);
      const [, initech] = await accounts();
      const result = await importer.importCsv(csv(ROWS.jane, renamed(bob), renamed(milton)), T2);
      expect(result.ok && result.summary).toEqual({
        rows: 3,
        accounts: { created: 0, updated: 1, unchanged: 1 },
        contacts: { created: 0, updated: 0, unchanged: 3 },
      });
      expect((await accounts())[1]).toEqual({
        ...initech,
        account_key: 'name:initech corp',
        name: 'Initech Corp',
      });
      expect(await accounts()).toHaveLength(2);
      expect(await productsOf('name:initech corp')).toEqual(['Analytics']);
    });

    it('keeps its id when the file first gives it an account_id', async () => {
      await importer.importCsv(csv(bob, milton), T1);
      const [initech] = await accounts();
      const withId = (row: string) => row.replace('Initech,,', 'Initech,SF-004,');
      const result = await importer.importCsv(csv(withId(bob), withId(milton)), T2);
      expect(result.ok && result.summary.accounts).toEqual({ created: 0, updated: 1, unchanged: 0 });
      expect(await accounts()).toEqual([{ ...initech, account_key: 'id:SF-004', external_id: 'SF-004' }]);
    });

    it.each([
      ['another of its contacts keeps the old name', [renamed(bob), milton]],
      ['another of its contacts is not in the file', [renamed(bob)]],
    ])('is left as it is, and a new account made for the new name, when %s', async (_, rows) => {
      await importer.importCsv(csv(bob, milton), T1);
      const [initech] = await accounts();
      const result = await importer.importCsv(csv(...rows), T2);
      expect(result.ok && result.summary.accounts).toMatchObject({ created: 1, updated: 0 });
      expect(await accounts()).toEqual([initech, expect.objectContaining({ name: 'Initech Corp' })]);
      expect(await accountOf('milton@initech.example')).toBe(initech!.id);
      expect(await accountOf('bob@initech.example')).not.toBe(initech!.id);
    });
  });

  describe('pauses', () => {
    const PAUSE_HEADER = DIRECTORY_COLUMNS.join(',');
    /** The row with its pause end and reason written after its status. */
    const withPause = (row: string, until = '', reason = '') =>
      row.replace(/,(active|paused|retired),/, `,$1,${until},${reason},`);
    const pausedFile = (pat: string) =>
      `${[PAUSE_HEADER, withPause(ROWS.jane), withPause(ROWS.raj), withPause(ROWS.kim), pat].join('\n')}\n`;
    const PAUSED = pausedFile(withPause(ROWS.pat, '2027-01-31', 'Renewal in progress'));

    it('imports the end and reason of a pause; the same file again changes nothing', async () => {
      await importer.importCsv(PAUSED, T1);
      expect(await contact('pat@globex.example')).toMatchObject({
        status: 'paused',
        paused_until: '2027-01-31',
        pause_reason: 'Renewal in progress',
      });
      const before = await snapshot();
      const again = await importer.importCsv(PAUSED, T2);
      expect(again.ok && again.summary.contacts).toEqual({ created: 0, updated: 0, unchanged: 4 });
      expect(await snapshot()).toEqual(before);
    });

    it('changes or ends a pause as the file says', async () => {
      await importer.importCsv(PAUSED, T1);
      await importer.importCsv(pausedFile(withPause(ROWS.pat, '2027-03-01')), T2);
      expect(await contact('pat@globex.example')).toMatchObject({
        paused_until: '2027-03-01',
        pause_reason: null,
      });
      await importer.importCsv(pausedFile(withPause(ROWS.pat.replace(',paused,', ',active,'))), T2);
      expect(await contact('pat@globex.example')).toMatchObject({
        status: 'active',
        paused_until: null,
        pause_reason: null,
      });
    });

    it('leaves pauses as they are when the file has no pause columns', async () => {
      await importer.importCsv(PAUSED, T1);
      const before = await snapshot();
      const result = await importer.importCsv(DIRECTORY, T2);
      expect(result.ok && result.summary.contacts).toEqual({ created: 0, updated: 0, unchanged: 4 });
      expect(await snapshot()).toEqual(before);
      // Another status still ends the pause: only a paused contact has one.
      await importer.importCsv(
        csv(ROWS.jane, ROWS.raj, ROWS.kim, ROWS.pat.replace(',paused,', ',retired,')),
        T2,
      );
      expect(await contact('pat@globex.example')).toMatchObject({
        status: 'retired',
        paused_until: null,
        pause_reason: null,
      });
    });

    it('refuses, line by line, a pause on a contact that is not paused, and writes nothing', async () => {
      const text = [
        PAUSE_HEADER,
        withPause(ROWS.jane, '2027-01-31'),
        withPause(ROWS.raj, '', 'Renewal in progress'),
        withPause(ROWS.kim),
        withPause(ROWS.pat, '31/01/2027', 'Renewal in progress'),
      ].join('\n');
      const result = await importer.importCsv(text, T1);
      expect(!result.ok && result.issues).toEqual([
        {
          line: 2,
          column: 'paused_until',
          reason: 'only a paused contact has a pause end: set status to paused or leave paused_until empty',
        },
        {
          line: 3,
          column: 'pause_reason',
          reason:
            'only a paused contact has a pause reason: set status to paused or leave pause_reason empty',
        },
        { line: 5, column: 'paused_until', reason: 'must be a date written YYYY-MM-DD' },
      ]);
      expect(await counts()).toEqual({ accounts: 0, products: 0, contacts: 0, activities: 0 });
    });
  });

  it("writes already-validated entries inside the caller's transaction", async () => {
    await importer.importCsv(DIRECTORY, T1);
    const { entries } = validateDirectoryCsv(csv(ROWS.raj.replace('Director of IT', 'CIO')));
    const summary = await db.transaction((trx) =>
      importer.applyEntries(
        trx,
        entries.map((e) => e.entry),
        T2,
      ),
    );
    expect(summary.contacts).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(await contact('raj@acme.example')).toMatchObject({ title: 'CIO', updated_at: T2.toISOString() });
  });
});

describe('generated directory data (bench/directory-data)', () => {
  it('is the same for the same seed, different for another, and valid', () => {
    const options = { contacts: 1_500, accounts: 300, seed: 1 };
    const text = generateDirectoryCsv(options);
    expect(generateDirectoryCsv(options)).toBe(text);
    expect(generateDirectoryCsv({ ...options, seed: 2 })).not.toBe(text);
    const { entries, issues } = validateDirectoryCsv(text);
    expect(issues).toEqual([]);
    expect(entries).toHaveLength(1_500);
    expect(new Set(entries.map((e) => accountKey(e.entry))).size).toBe(300);
    const share = (test: (e: (typeof entries)[number]['entry']) => boolean) =>
      entries.filter((e) => test(e.entry)).length / entries.length;
    expect(share((e) => e.status === 'active')).toBeGreaterThan(0.8);
    expect(share((e) => e.status === 'retired')).toBeGreaterThan(0.01);
    expect(share((e) => e.activities.includes('reference_call'))).toBeGreaterThan(0.5);
    expect(entries.every((e) => e.entry.activities.length >= 1 && e.entry.activities.length <= 4)).toBe(true);
    expect(entries.every((e) => e.entry.products.length >= 1 && e.entry.products.length <= 3)).toBe(true);
  });

  it('seeds past asks: one approved ask per request, mostly finished and followed up, a few awaiting the owner', async () => {
    const temp = await openTempDatabase();
    try {
      const { db } = temp;
      const now = new Date('2026-11-22T12:00:00.000Z');
      await new DirectoryImport(db).importCsv(
        generateDirectoryCsv({ contacts: 1_000, accounts: 200, seed: 4 }),
        now,
      );
      await seedPastAsks(db, { asks: 3_000, seed: 4, now });
      const statuses = Object.fromEntries(
        (
          (await db('reference_requests').select('status').count({ n: '*' }).groupBy('status')) as {
            status: string;
            n: number;
          }[]
        ).map((r) => [r.status, Number(r.n)]),
      );
      expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBe(3_000);
      expect(statuses.awaiting_owner).toBe(300);
      // The open requests are the newest 300, so every finished one is past its date here.
      expect(Object.keys(statuses).sort()).toEqual([
        'awaiting_owner',
        'cancelled',
        'completed',
        'denied',
        'not_held',
      ]);
      // Past references were followed up, so a bot started on this history owes no old follow-ups.
      const pending = (await db('reference_requests')
        .where({ status: 'agreed' })
        .whereNull('followup_sent_at')
        .where('needed_by', '<', '2026-11-21')
        .count({ n: '*' })
        .first()) as { n: number };
      expect(Number(pending.n)).toBe(0);
      const rated = (await db('reference_requests as r')
        .join('reference_asks as k', 'k.id', 'r.current_ask_id')
        .where('r.status', 'completed')
        .select('k.rating')) as { rating: number | null }[];
      expect(rated.every((a) => a.rating !== null && a.rating >= 1 && a.rating <= 5)).toBe(true);
      // Every request points at its own, only ask.
      const linked = (await db('reference_requests as r')
        .join('reference_asks as k', 'k.id', 'r.current_ask_id')
        .whereRaw('k.request_id = r.id')
        .count({ n: '*' })
        .first()) as { n: number };
      expect(Number(linked.n)).toBe(3_000);
      const open = (await db('reference_requests as r')
        .join('reference_asks as k', 'k.id', 'r.current_ask_id')
        .where('r.status', 'awaiting_owner')
        .select('k.answer')) as { answer: string | null }[];
      expect(open.every((a) => a.answer === null)).toBe(true);
      const times = (await db('reference_asks')
        .min({ first: 'approved_at' })
        .max({ last: 'approved_at' })
        .first()) as {
        first: string;
        last: string;
      };
      expect(times.first >= '2024-11-22').toBe(true);
      expect(times.last <= now.toISOString()).toBe(true);
      const perContact = (
        (await db('reference_asks').select('contact_id').count({ n: '*' }).groupBy('contact_id')) as {
          n: number;
        }[]
      ).map((r) => Number(r.n));
      expect(Math.max(...perContact)).toBeGreaterThan(5 * (3_000 / perContact.length));
    } finally {
      await temp.close();
    }
  });
});
