import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { ASK_EXPORT_COLUMNS, AsksExport, asksPeriod } from '../../src/services/asks-export.ts';
import { AsksExportStore } from '../../src/store/asks-export-store.ts';
import type { Db } from '../../src/store/database.ts';
import { openTempDatabase, type TempDatabase } from '../store/temp-database.ts';

const HEADER = ASK_EXPORT_COLUMNS.join(',');
const ALL = { from: null, to: null };

async function insertAccount(db: Db, name: string, externalId: string | null): Promise<number> {
  const [row] = (await db('accounts')
    .insert({
      account_key: externalId ? `id:${externalId.toLowerCase()}` : `name:${name.toLowerCase()}`,
      external_id: externalId,
      name,
      company_size: 'Enterprise',
      owner_id: 'U0OWNER1',
      created_at: '2026-10-01T09:00:00.000Z',
      updated_at: '2026-10-01T09:00:00.000Z',
    })
    .returning('id')) as { id: number }[];
  return row!.id;
}

async function insertContact(db: Db, accountId: number, name: string | null, email: string): Promise<number> {
  const [row] = (await db('contacts')
    .insert({
      account_id: accountId,
      email,
      name,
      created_at: '2026-10-01T09:00:00.000Z',
      updated_at: '2026-10-01T09:00:00.000Z',
    })
    .returning('id')) as { id: number }[];
  return row!.id;
}

async function insertRequest(db: Db, fields: Record<string, unknown>): Promise<number> {
  const [row] = (await db('reference_requests')
    .insert({
      requester_id: 'U0REP1',
      prospect: 'Initech',
      prospect_key: 'initech',
      activity: 'reference_call',
      needed_by: '2026-11-20',
      context: 'Their CIO wants to hear from a peer',
      status: 'submitted',
      created_at: '2026-11-01T09:00:00.000Z',
      updated_at: '2026-11-01T09:00:00.000Z',
      ...fields,
    })
    .returning('id')) as { id: number }[];
  return row!.id;
}

async function insertAsk(db: Db, fields: Record<string, unknown>): Promise<number> {
  const [row] = (await db('reference_asks')
    .insert({ owner_id: 'U0OWNER1', approved_by: 'U0MGR1', round: 1, ...fields })
    .returning('id')) as { id: number }[];
  await db('reference_requests').where({ id: fields.request_id }).update({ current_ask_id: row!.id });
  return row!.id;
}

/**
 * A small history with known answers: REF-1 declined by its first contact, agreed by the second, held and
 * won; REF-2 cancelled while its owner had not answered, full of cells a spreadsheet would run; REF-3
 * agreed but not held; REF-4 denied (no ask, so no row).
 */
async function seedHistory(db: Db): Promise<void> {
  const acme = await insertAccount(db, 'Acme Health', 'SF-001');
  const globex = await insertAccount(db, 'Globex', null);
  const raj = await insertContact(db, acme, 'Raj Patel', 'raj@acme.example');
  const jane = await insertContact(db, acme, 'Doe, Jane', 'jane@acme.example');
  const eve = await insertContact(
    db,
    globex,
    '=HYPERLINK("https://evil.example","Open")',
    'eve@globex.example',
  );

  const won = await insertRequest(db, {
    industry: 'Healthcare',
    region: 'EMEA',
    company_size: '1000-4999',
    seniority: 'vp',
    products: JSON.stringify(['Billing', 'Analytics']),
    amount: 250000,
    status: 'completed',
    followup_sent_at: '2026-11-21T09:00:00.000Z',
  });
  await insertAsk(db, {
    request_id: won,
    contact_id: raj,
    approved_at: '2026-11-02T10:00:00.000Z',
    note: 'Raj knows their CIO',
    answer: 'declined',
    answered_by: 'U0OWNER1',
    answered_at: '2026-11-03T08:00:00.000Z',
  });
  const agreed = await insertAsk(db, {
    request_id: won,
    contact_id: jane,
    round: 2,
    approved_by: 'U0MGR2',
    approved_at: '2026-11-04T23:59:59.999Z',
    answer: 'agreed',
    answered_by: 'U0OWNER1',
    answered_at: '2026-11-05T09:00:00.000Z',
    reminders_sent: 1,
    last_reminded_at: '2026-11-05T08:00:00.000Z',
    rating: 5,
    rated_at: '2026-11-21T10:00:00.000Z',
  });
  await db('reference_outcomes').insert({
    request_id: won,
    ask_id: agreed,
    contact_id: jane,
    happened: true,
    rating: 5,
    helped: 'Jane explained the rollout',
    moved_deal: 'yes',
    deal_result: 'won',
    deal_amount: 120000.5,
    recorded_by: 'U0REP1',
    recorded_at: '2026-11-21T10:00:00.000Z',
    deal_recorded_at: '2026-11-25T10:00:00.000Z',
  });

  const cancelled = await insertRequest(db, {
    requester_id: 'U0REP2',
    prospect: '@SUM(A1:A2)',
    prospect_key: '@sum(a1:a2)',
    activity: 'case_study',
    industry: "+cmd|' /C calc'!A0",
    region: '\tTabbed',
    company_size: '\rReturned',
    products: JSON.stringify(['=1+1', 'Billing']),
    status: 'cancelled',
    closed_by: 'U0REP2',
    closed_at: '2026-11-06T12:00:00.000Z',
    close_reason: 'The deal moved on',
    created_at: '2026-11-04T09:00:00.000Z',
  });
  await insertAsk(db, {
    request_id: cancelled,
    contact_id: eve,
    owner_id: 'U0OWNER2',
    approved_at: '2026-11-05T00:00:00.000Z',
    escalated_at: '2026-11-06T09:00:00.000Z',
  });

  const notHeld = await insertRequest(db, { prospect: 'Hooli', prospect_key: 'hooli', status: 'not_held' });
  const agreedAgain = await insertAsk(db, {
    request_id: notHeld,
    contact_id: raj,
    approved_at: '2026-11-06T00:00:00.000Z',
    answer: 'agreed',
    answered_by: 'U0OWNER1',
    answered_at: '2026-11-06T10:00:00.000Z',
  });
  await db('reference_outcomes').insert({
    request_id: notHeld,
    ask_id: agreedAgain,
    contact_id: raj,
    happened: false,
    why_not: 'Raj was travelling',
    recorded_by: 'U0REP1',
    recorded_at: '2026-11-22T10:00:00.000Z',
  });

  await insertRequest(db, {
    status: 'denied',
    closed_by: 'U0MGR1',
    closed_at: '2026-11-02T09:00:00.000Z',
    close_reason: 'No fit',
  });
}

// request_id, ask_id, round, current_ask, request_status, requested_by, submitted_at, needed_by, activity,
// prospect, prospect_industry, prospect_region, prospect_company_size, prospect_seniority, products,
// opportunity_amount, approved_by, approved_at, contact_id, contact_name, account_id, account_name, owner_id,
// reminders_sent, last_reminded_at, escalated_at, owner_answer, answered_by, answered_at, followup_sent_at,
// happened, rating, moved_deal, outcome_recorded_at, deal_result, deal_amount, deal_recorded_at, closed_by, closed_at
const DECLINED =
  'REF-1,1,1,false,completed,U0REP1,2026-11-01T09:00:00.000Z,2026-11-20,reference_call,Initech,Healthcare,EMEA,1000-4999,vp,Billing;Analytics,250000,U0MGR1,2026-11-02T10:00:00.000Z,1,Raj Patel,SF-001,Acme Health,U0OWNER1,0,,,declined,U0OWNER1,2026-11-03T08:00:00.000Z,2026-11-21T09:00:00.000Z,,,,,,,,,';
const WON =
  'REF-1,2,2,true,completed,U0REP1,2026-11-01T09:00:00.000Z,2026-11-20,reference_call,Initech,Healthcare,EMEA,1000-4999,vp,Billing;Analytics,250000,U0MGR2,2026-11-04T23:59:59.999Z,2,"Doe, Jane",SF-001,Acme Health,U0OWNER1,1,2026-11-05T08:00:00.000Z,,agreed,U0OWNER1,2026-11-05T09:00:00.000Z,2026-11-21T09:00:00.000Z,true,5,yes,2026-11-21T10:00:00.000Z,won,120000.5,2026-11-25T10:00:00.000Z,,';
const CANCELLED =
  'REF-2,3,1,true,cancelled,U0REP2,2026-11-04T09:00:00.000Z,2026-11-20,case_study,\'@SUM(A1:A2),\'+cmd|\' /C calc\'!A0,\'\tTabbed,"\'\rReturned",,\'=1+1;Billing,,U0MGR1,2026-11-05T00:00:00.000Z,3,"\'=HYPERLINK(""https://evil.example"",""Open"")",,Globex,U0OWNER2,0,,2026-11-06T09:00:00.000Z,,,,,,,,,,,,U0REP2,2026-11-06T12:00:00.000Z';
const NOT_HELD =
  'REF-3,4,1,true,not_held,U0REP1,2026-11-01T09:00:00.000Z,2026-11-20,reference_call,Hooli,,,,,,,U0MGR1,2026-11-06T00:00:00.000Z,1,Raj Patel,SF-001,Acme Health,U0OWNER1,0,,,agreed,U0OWNER1,2026-11-06T10:00:00.000Z,,false,,,2026-11-22T10:00:00.000Z,,,,,';

const csv = (...rows: string[]) => `${[HEADER, ...rows].join('\n')}\n`;

describe('AsksExport', () => {
  let temp: TempDatabase;
  let db: Db;

  beforeAll(async () => {
    temp = await openTempDatabase();
    db = temp.db;
    await seedHistory(db);
  });

  afterAll(async () => {
    await temp.close();
  });

  it('writes one row per ask with its request, contact, account and outcome, in ask order', async () => {
    expect(await new AsksExport(db).exportCsv(ALL)).toBe(csv(DECLINED, WON, CANCELLED, NOT_HELD));
  });

  it('never writes a contact email or the free text people typed', async () => {
    const text = await new AsksExport(db).exportCsv(ALL);
    expect(text).not.toMatch(/@acme\.example|@globex\.example/);
    expect(text).not.toMatch(/CIO|rollout|travelling|moved on|No fit/);
  });

  it('keeps the asks approved from --from to --to, both days included (UTC)', async () => {
    const exporter = new AsksExport(db);
    expect(await exporter.exportCsv({ from: '2026-11-04', to: '2026-11-05' })).toBe(csv(WON, CANCELLED));
    expect(await exporter.exportCsv({ from: '2026-11-05', to: null })).toBe(csv(CANCELLED, NOT_HELD));
    expect(await exporter.exportCsv({ from: null, to: '2026-11-04' })).toBe(csv(DECLINED, WON));
    expect(await exporter.exportCsv({ from: '2026-11-06', to: '2026-11-06' })).toBe(csv(NOT_HELD));
    expect(await exporter.exportCsv({ from: '2026-12-01', to: null })).toBe(csv());
    expect(await exporter.exportCsv({ from: '0001-01-01', to: '9999-12-31' })).toBe(
      csv(DECLINED, WON, CANCELLED, NOT_HELD),
    );
  });

  it('writes no cell a spreadsheet would run as a formula', async () => {
    const rows = parse(await new AsksExport(db).exportCsv(ALL), { columns: true }) as Record<
      string,
      string
    >[];
    for (const cell of rows.flatMap((row) => Object.values(row))) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(rows[2]).toMatchObject({
      prospect: "'@SUM(A1:A2)",
      prospect_industry: "'+cmd|' /C calc'!A0",
      prospect_region: "'\tTabbed",
      prospect_company_size: "'\rReturned",
      products: "'=1+1;Billing",
      contact_name: `'=HYPERLINK("https://evil.example","Open")`,
    });
  });

  describe('the period', () => {
    const fieldsOf = (input: unknown) => {
      try {
        asksPeriod(input);
      } catch (error) {
        if (error instanceof InputError) return error.fields;
        throw error;
      }
      return null;
    };

    it('takes real days, either one, both or neither', () => {
      expect(asksPeriod({})).toEqual({ from: null, to: null });
      expect(asksPeriod({ from: '2026-02-28' })).toEqual({ from: '2026-02-28', to: null });
      expect(asksPeriod({ from: '2026-11-05', to: '2026-11-05' })).toEqual({
        from: '2026-11-05',
        to: '2026-11-05',
      });
    });

    it('refuses a day that is not one, or a --to before --from, naming the field', () => {
      expect(fieldsOf({ from: '2026-02-30' })).toEqual({ from: expect.stringMatching(/YYYY-MM-DD/) });
      expect(fieldsOf({ to: 'yesterday' })).toEqual({ to: expect.stringMatching(/YYYY-MM-DD/) });
      expect(fieldsOf({ from: '2026-11-6' })).toEqual({ from: expect.stringMatching(/YYYY-MM-DD/) });
      expect(fieldsOf({ from: '2026-11-06', to: '2026-11-05' })).toEqual({
        to: 'must not be before the from date',
      });
    });
  });
});

describe('AsksExport over many asks', () => {
  let temp: TempDatabase;
  let db: Db;
  const ASKS = 2_345;

  beforeAll(async () => {
    temp = await openTempDatabase();
    db = temp.db;
    const account = await insertAccount(db, 'Acme Health', 'SF-001');
    const contact = await insertContact(db, account, 'Raj Patel', 'raj@acme.example');
    const requests = Array.from({ length: ASKS }, (_, i) => ({
      requester_id: 'U0REP1',
      prospect: `Prospect ${i}`,
      prospect_key: `prospect ${i}`,
      activity: 'reference_call',
      needed_by: '2026-12-31',
      context: 'Context',
      status: 'awaiting_owner',
      created_at: '2026-11-01T09:00:00.000Z',
      updated_at: '2026-11-01T09:00:00.000Z',
    }));
    await db.batchInsert('reference_requests', requests, 500);
    const ids = (await db('reference_requests').orderBy('id').pluck('id')) as number[];
    // Ask i is approved on day i % 30 of November, so a period picks asks from every page.
    const asks = ids.map((requestId, i) => ({
      request_id: requestId,
      contact_id: contact,
      owner_id: 'U0OWNER1',
      round: 1,
      approved_by: 'U0MGR1',
      approved_at: `2026-11-${String((i % 30) + 1).padStart(2, '0')}T12:00:00.000Z`,
    }));
    await db.batchInsert('reference_asks', asks, 500);
  });

  afterAll(async () => {
    await temp.close();
  });

  /** The store, recording the size of every page it was asked for and handed. */
  const countingStore = () => {
    const store = new AsksExportStore();
    const pages: { limit: number; rows: number }[] = [];
    const page = store.page.bind(store);
    store.page = async (...args) => {
      const rows = await page(...args);
      pages.push({ limit: args[3], rows: rows.length });
      return rows;
    };
    return { store, pages };
  };

  it('reads a page of asks at a time and hands out a chunk per page, the header once', async () => {
    const { store, pages } = countingStore();
    const chunks: string[] = [];
    const written = await new AsksExport(db, store, 1_000).writeCsv(ALL, async (chunk) => {
      chunks.push(chunk);
    });
    expect(written).toBe(ASKS);
    expect(pages).toEqual([
      { limit: 1_000, rows: 1_000 },
      { limit: 1_000, rows: 1_000 },
      { limit: 1_000, rows: 345 },
    ]);
    expect(chunks).toHaveLength(3);
    expect(chunks.filter((chunk) => chunk.startsWith(HEADER))).toHaveLength(1);
    const rows = parse(chunks.join(''), { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => Number(row.ask_id))).toEqual(Array.from({ length: ASKS }, (_, i) => i + 1));
    expect(new Set(rows.map((row) => row.request_id)).size).toBe(ASKS);
  });

  it('pages through a period without losing or repeating an ask', async () => {
    const { store, pages } = countingStore();
    const text = await new AsksExport(db, store, 7).exportCsv({ from: '2026-11-10', to: '2026-11-12' });
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    const expected = Array.from({ length: ASKS }, (_, i) => i).filter((i) => i % 30 >= 9 && i % 30 <= 11);
    expect(rows.map((row) => Number(row.ask_id))).toEqual(expected.map((i) => i + 1));
    expect(pages.every((p) => p.limit === 7)).toBe(true);
    expect(pages).toHaveLength(Math.floor(expected.length / 7) + 1);
  });
});
