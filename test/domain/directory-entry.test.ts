import { describe, expect, it } from 'vitest';
import {
  accountKey,
  COLUMN_MAX_LENGTH,
  type DirectoryColumn,
  type EntryIssue,
  escapeFormula,
  parseDirectoryEntry,
  productsText,
  unescapeFormula,
} from '../../src/domain/directory-entry.ts';
import { longestProducts } from './directory-fixtures.ts';

type Row = Partial<Record<DirectoryColumn, string>>;

const row: Row = {
  account: 'Acme Health',
  account_id: 'SF-001',
  industry: 'Healthcare',
  region: 'EMEA',
  company_size: '1000-4999',
  products: 'Analytics;Billing',
  owner: 'U0OWNER1',
  contact_name: 'Jane Doe',
  contact_email: 'jane@acme.example',
  title: 'CFO',
  seniority: 'c_level',
  activities: 'reference_call;case_study',
  customer_since: '2021-03-01',
  status: 'active',
  notes: 'Great advocate',
};

const parse = (patch: Row) => parseDirectoryEntry({ ...row, ...patch });

function entryOf(patch: Row) {
  const result = parse(patch);
  if (!result.ok) throw new Error(`expected a valid entry, got ${JSON.stringify(result.issues)}`);
  return result.entry;
}

function issuesOf(patch: Row): EntryIssue[] {
  const result = parse(patch);
  if (result.ok) throw new Error('expected issues, got a valid entry');
  return result.issues;
}

const issueOn = (column: DirectoryColumn, patch: Row) => issuesOf(patch).find((i) => i.column === column);

describe('parseDirectoryEntry', () => {
  it('maps a complete row to an entry', () => {
    expect(entryOf({})).toEqual({
      account: 'Acme Health',
      accountId: 'SF-001',
      industry: 'Healthcare',
      region: 'EMEA',
      companySize: '1000-4999',
      products: ['Analytics', 'Billing'],
      owner: 'U0OWNER1',
      contactName: 'Jane Doe',
      contactEmail: 'jane@acme.example',
      title: 'CFO',
      seniority: 'c_level',
      activities: ['reference_call', 'case_study'],
      customerSince: '2021-03-01',
      status: 'active',
      pausedUntil: null,
      pauseReason: null,
      notes: 'Great advocate',
    });
  });

  it('accepts a row with only the required columns', () => {
    const entry = parseDirectoryEntry({
      account: 'Globex',
      company_size: 'Enterprise',
      owner: 'W0OWNER2',
      contact_email: 'kim@globex.example',
    });
    expect(entry).toEqual({
      ok: true,
      entry: {
        account: 'Globex',
        accountId: null,
        industry: null,
        region: null,
        companySize: 'Enterprise',
        products: [],
        owner: 'W0OWNER2',
        contactName: null,
        contactEmail: 'kim@globex.example',
        title: null,
        seniority: null,
        activities: [],
        customerSince: null,
        status: 'active',
        pausedUntil: null,
        pauseReason: null,
        notes: null,
      },
    });
  });

  it('trims every text and turns blank optional columns into null', () => {
    const entry = entryOf({
      account: '  Acme Health ',
      account_id: ' ',
      industry: '',
      region: '  ',
      contact_name: ' Jane Doe ',
      title: '',
      notes: '   ',
      customer_since: '',
      seniority: ' ',
    });
    expect(entry).toMatchObject({
      account: 'Acme Health',
      accountId: null,
      industry: null,
      region: null,
      contactName: 'Jane Doe',
      title: null,
      notes: null,
      customerSince: null,
      seniority: null,
    });
  });

  describe('required columns', () => {
    it.each(['account', 'company_size', 'owner', 'contact_email'] as const)('%s is required', (column) => {
      expect(issueOn(column, { [column]: '' })?.reason).toBe('is required');
      expect(issueOn(column, { [column]: '   ' })?.reason).toBe('is required');
      const missing = { ...row };
      delete missing[column];
      const result = parseDirectoryEntry(missing);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.issues.find((i) => i.column === column)?.reason).toBe('is required');
    });
  });

  it('counts text with no visible character as blank, in required and optional columns', () => {
    for (const column of ['account', 'company_size', 'owner', 'contact_email'] as const) {
      expect(issueOn(column, { [column]: '\u200b\u2060' })?.reason).toBe('is required');
    }
    const entry = entryOf({
      contact_name: '\ufeff\u200b',
      notes: '\u2060',
      products: 'Analytics;\u200b; \u3164',
    });
    expect(entry).toMatchObject({ contactName: null, notes: null, products: ['Analytics'] });
  });

  it('reports every bad column once, keyed by column', () => {
    const issues = issuesOf({
      account: '',
      owner: 'nobody',
      contact_email: 'not-an-email',
      seniority: 'intern',
      customer_since: '2021-02-30',
    });
    expect(issues.map((i) => i.column).sort()).toEqual(
      ['account', 'contact_email', 'customer_since', 'owner', 'seniority'].sort(),
    );
    expect(new Set(issues.map((i) => i.column)).size).toBe(issues.length);
  });

  describe('contact_email', () => {
    it('is lowercased and trimmed', () => {
      expect(entryOf({ contact_email: '  Jane.Doe@ACME.Example ' }).contactEmail).toBe(
        'jane.doe@acme.example',
      );
    });

    it.each(['jane', 'jane@', '@acme.example', 'jane doe@acme.example', 'jane@acme'])(
      'refuses %j',
      (email) => {
        expect(issueOn('contact_email', { contact_email: email })?.reason).toBe('is not an email address');
      },
    );
  });

  describe('owner', () => {
    it.each(['U0OWNER1', 'W0ABC', 'U12'])('accepts the Slack user id %j', (owner) => {
      expect(entryOf({ owner }).owner).toBe(owner);
    });

    it('trims the id', () => {
      expect(entryOf({ owner: ' U0OWNER1 ' }).owner).toBe('U0OWNER1');
    });

    it.each(['jane@acme.example', 'u0owner1', 'C0CHANNEL', 'U1', '@jane', 'U0 OWNER'])(
      'refuses %j',
      (owner) => {
        expect(issueOn('owner', { owner })?.reason).toBe('must be a Slack user id such as U0123ABCD');
      },
    );
  });

  describe('seniority', () => {
    it.each([
      ['C-Level', 'c_level'],
      ['c-level', 'c_level'],
      ['C Level', 'c_level'],
      ['clevel', 'c_level'],
      ['C-Suite', 'c_level'],
      ['VP', 'vp'],
      ['vp', 'vp'],
      [' Director ', 'director'],
      ['MANAGER', 'manager'],
      ['Practitioner', 'practitioner'],
    ] as const)('normalises %j to %s', (raw, key) => {
      expect(entryOf({ seniority: raw }).seniority).toBe(key);
    });

    it('refuses an unknown seniority', () => {
      expect(issueOn('seniority', { seniority: 'Intern' })?.reason).toBe(
        'must be one of c_level, vp, director, manager, practitioner',
      );
    });
  });

  describe('activities', () => {
    it('are case-insensitive, ;-separated, trimmed and de-duplicated', () => {
      expect(
        entryOf({ activities: ' Reference Call ; CASE_STUDY;;video-testimonial; reference_call ' })
          .activities,
      ).toEqual(['reference_call', 'case_study', 'video_testimonial']);
    });

    it('may be empty', () => {
      expect(entryOf({ activities: '' }).activities).toEqual([]);
      expect(entryOf({ activities: ' ; ' }).activities).toEqual([]);
    });

    it('refuses an unknown activity and names it', () => {
      const reason = issueOn('activities', { activities: 'reference_call;golf' })?.reason;
      expect(reason).toContain('unknown activity "golf"');
      expect(reason).toContain('reference_call');
    });

    it('are not separated by commas', () => {
      expect(issueOn('activities', { activities: 'reference_call,quote' })).toBeDefined();
    });
  });

  describe('status', () => {
    it('defaults to active', () => {
      expect(entryOf({ status: '' }).status).toBe('active');
      expect(entryOf({ status: undefined }).status).toBe('active');
    });

    it.each([
      ['Paused', 'paused'],
      [' RETIRED ', 'retired'],
      ['active', 'active'],
    ] as const)('normalises %j', (raw, status) => {
      expect(entryOf({ status: raw }).status).toBe(status);
    });

    it('refuses an unknown status', () => {
      expect(issueOn('status', { status: 'gone' })?.reason).toBe('must be one of active, paused, retired');
    });
  });

  describe('paused_until and pause_reason', () => {
    const paused = { status: 'paused', paused_until: ' 2027-01-31 ', pause_reason: ' Renewal in progress ' };

    it('are read for a paused contact', () => {
      expect(entryOf(paused)).toMatchObject({
        status: 'paused',
        pausedUntil: '2027-01-31',
        pauseReason: 'Renewal in progress',
      });
    });

    it('may be empty for a paused contact (an open-ended pause) and are empty by default', () => {
      expect(entryOf({ status: 'paused' })).toMatchObject({ pausedUntil: null, pauseReason: null });
      expect(entryOf({})).toMatchObject({ pausedUntil: null, pauseReason: null });
    });

    it('take a date already past: the lifecycle job resumes the contact, the import does not judge', () => {
      expect(entryOf({ ...paused, paused_until: '2001-01-01' }).pausedUntil).toBe('2001-01-01');
    });

    it.each(['2027-02-30', '31/01/2027', 'next month'])('refuse the pause end %j', (date) => {
      expect(issueOn('paused_until', { ...paused, paused_until: date })?.reason).toBe(
        'must be a date written YYYY-MM-DD',
      );
    });

    it.each(['active', 'retired', ''])('are refused, each with its reason, when status is %j', (status) => {
      const issues = issuesOf({ ...paused, status });
      expect(issues).toEqual([
        {
          column: 'paused_until',
          reason: 'only a paused contact has a pause end: set status to paused or leave paused_until empty',
        },
        {
          column: 'pause_reason',
          reason:
            'only a paused contact has a pause reason: set status to paused or leave pause_reason empty',
        },
      ]);
    });

    it('are reported with the other bad columns of the row', () => {
      const issues = issuesOf({
        status: 'active',
        pause_reason: 'Renewal',
        owner: 'nobody',
        seniority: 'intern',
      });
      expect(issues.map((i) => i.column).sort()).toEqual(['owner', 'pause_reason', 'seniority']);
    });
  });

  describe('products', () => {
    it('are split on ;, trimmed and de-duplicated', () => {
      expect(entryOf({ products: ' Analytics ;Billing;; Analytics;Payroll ' }).products).toEqual([
        'Analytics',
        'Billing',
        'Payroll',
      ]);
    });

    it('keep their case', () => {
      expect(entryOf({ products: 'analytics;Analytics' }).products).toEqual(['analytics', 'Analytics']);
    });

    it('refuses a product longer than an option', () => {
      expect(issueOn('products', { products: `Analytics;${'p'.repeat(76)}` })?.reason).toBe(
        'a product is longer than 75 characters',
      );
    });

    it('refuses more than 50 products', () => {
      const many = Array.from({ length: 51 }, (_, i) => `P${i}`).join(';');
      expect(issueOn('products', { products: many })?.reason).toBe('more than 50 values');
    });

    it('take at most what the contact form holds, counted as the form writes them', () => {
      const fits = longestProducts();
      expect(productsText(fits)).toHaveLength(COLUMN_MAX_LENGTH.products);
      expect(entryOf({ products: fits.join(';') }).products).toEqual(fits);
      const over = [...fits.slice(0, -1), `${fits.at(-1)}x`];
      expect(issueOn('products', { products: over.join(';') })?.reason).toBe(
        `longer than ${COLUMN_MAX_LENGTH.products} characters in all, written "a; b; c"`,
      );
    });
  });

  describe('customer_since', () => {
    it('accepts a date', () => {
      expect(entryOf({ customer_since: ' 2020-02-29 ' }).customerSince).toBe('2020-02-29');
    });

    it.each(['2021-02-30', '03/01/2021', '2021-3-1', 'last year'])('refuses %j', (date) => {
      expect(issueOn('customer_since', { customer_since: date })).toBeDefined();
    });
  });

  describe('length limits', () => {
    it.each([
      ['account', 200],
      ['account_id', 100],
      ['industry', 75],
      ['region', 75],
      ['company_size', 75],
      ['contact_name', 200],
      ['title', 200],
      ['pause_reason', 1000],
      ['notes', 2000],
    ] as const)('%s is at most %d characters', (column, max) => {
      expect(COLUMN_MAX_LENGTH[column]).toBe(max);
      const paused = { status: 'paused' };
      expect(parse({ ...paused, [column]: 'a'.repeat(max) }).ok).toBe(true);
      expect(issueOn(column, { ...paused, [column]: 'a'.repeat(max + 1) })?.reason).toBe(
        `longer than ${max} characters`,
      );
    });
  });
});

describe('accountKey', () => {
  it('uses the external id when there is one, else the lowercased name', () => {
    expect(accountKey({ account: 'Acme', accountId: 'SF-1' })).toBe('id:SF-1');
    expect(accountKey({ account: 'Acme Health', accountId: null })).toBe('name:acme health');
    expect(accountKey({ account: 'ACME health', accountId: null })).toBe(
      accountKey({ account: 'Acme Health', accountId: null }),
    );
  });
});

describe('escapeFormula and unescapeFormula', () => {
  it.each([
    '=HYPERLINK("https://evil.example","Open")',
    "+cmd|' /C calc'!A0",
    '-1+1',
    '@SUM(A1:A2)',
    '\t=1+1',
    '\r=1+1',
  ])('put a quote before %j, which a spreadsheet would run, and take it off again', (value) => {
    expect(escapeFormula(value)).toBe(`'${value}`);
    expect(unescapeFormula(escapeFormula(value))).toBe(value);
  });

  it.each(['Acme', '1000-4999', "O'Brien", "'quoted", 'a=b', ''])('leave %j as it is', (value) => {
    expect(escapeFormula(value)).toBe(value);
    expect(unescapeFormula(value)).toBe(value);
  });

  it('give a value that already starts with a quote before a formula one more quote', () => {
    expect(escapeFormula("'=1+1")).toBe("''=1+1");
    expect(unescapeFormula("''=1+1")).toBe("'=1+1");
    expect(unescapeFormula("'=1+1")).toBe('=1+1');
  });
});
