import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PIPELINE_COLUMNS } from '../../src/domain/pipeline.ts';
import { PipelineExport } from '../../src/services/pipeline-export.ts';
import { PipelineImport, validatePipelineCsv } from '../../src/services/pipeline-import.ts';
import type { Db } from '../../src/store/database.ts';
import { openTempDatabase, type TempDatabase } from '../store/temp-database.ts';

const HEADER = PIPELINE_COLUMNS.join(',');
const ROWS = {
  a: 'OPP-1,Acme expansion,Acme Health,U0REP1,120000,USD,Negotiation,open,2026-09-01,2026-12-31,Healthcare,Analytics;Billing,EMEA,1000-4999',
  b: 'OPP-2,Globex new logo,Globex,rep@example.com,45000.5,USD,Closed Won,won,2026-03-15,2026-10-02,Manufacturing,Analytics,North America,Enterprise',
  c: 'OPP-3,Initech,Initech,,8000,,Closed Lost,LOST,,,,,,',
};
const csv = (...lines: string[]) => `${[HEADER, ...lines].join('\n')}\n`;
const PIPELINE = csv(ROWS.a, ROWS.b, ROWS.c);

const T1 = new Date('2026-11-20T10:00:00.000Z');
const T2 = new Date('2026-11-21T10:00:00.000Z');
const T3 = new Date('2026-11-22T10:00:00.000Z');

describe('validatePipelineCsv', () => {
  it('reads a valid file, with the default currency for a row without one', () => {
    const { opportunities, issues } = validatePipelineCsv(PIPELINE, 'USD');
    expect(issues).toEqual([]);
    expect(opportunities.map((o) => o.line)).toEqual([2, 3, 4]);
    expect(opportunities[0]!.opportunity).toEqual({
      opportunityId: 'OPP-1',
      name: 'Acme expansion',
      account: 'Acme Health',
      owner: 'U0REP1',
      ownerId: 'U0REP1',
      amount: 120000,
      currency: 'USD',
      stage: 'Negotiation',
      status: 'open',
      createdOn: '2026-09-01',
      closeDate: '2026-12-31',
      industry: 'Healthcare',
      products: ['Analytics', 'Billing'],
      region: 'EMEA',
      companySize: '1000-4999',
    });
    expect(opportunities[1]!.opportunity).toMatchObject({
      owner: 'rep@example.com',
      ownerId: null,
      amount: 45000.5,
    });
    expect(opportunities[2]!.opportunity).toMatchObject({
      owner: null,
      currency: 'USD',
      status: 'lost',
      createdOn: null,
      products: [],
    });
  });

  it('matches header names case-insensitively, around spaces, and ignores unknown columns', () => {
    const text = [
      ' Opportunity_ID ,AMOUNT, Status,Owner ,Favourite_Colour,Products',
      'X-1,10,Open,u@x.io,blue, a ; b;a ;;',
    ].join('\n');
    const { opportunities, issues } = validatePipelineCsv(text, 'EUR');
    expect(issues).toEqual([]);
    expect(opportunities[0]!.opportunity).toMatchObject({
      opportunityId: 'X-1',
      amount: 10,
      status: 'open',
      owner: 'u@x.io',
      currency: 'EUR',
      products: ['a', 'b'],
    });
  });

  it('reports each missing required column on line 1', () => {
    const { issues } = validatePipelineCsv('name,owner\nAcme,U0REP1\n', 'USD');
    expect(issues.map((i) => [i.line, i.column])).toEqual([
      [1, 'opportunity_id'],
      [1, 'amount'],
      [1, 'status'],
    ]);
  });

  it('reports every kind of bad row with its line, column and reason', () => {
    const long = 'x'.repeat(76);
    const text = csv(
      ROWS.a.replace('OPP-1', ''), // 2: no id
      ROWS.a.replace('OPP-1', 'OPP-5').replace('U0REP1', 'nobody'), // 3: bad owner
      ROWS.a.replace('OPP-1', 'OPP-6').replace('120000', '-5'), // 4: negative
      ROWS.a.replace('OPP-1', 'OPP-7').replace('120000', '1k').replace(',USD,', ',US,'), // 5: two bad columns
      ROWS.a.replace('OPP-1', 'OPP-8').replace(',open,', ',pending,'), // 6
      ROWS.a
        .replace('OPP-1', 'OPP-9')
        .replace('2026-09-01', '2026-02-30')
        .replace('2026-12-31', '31/12/2026'), // 7
      ROWS.a.replace('OPP-1', 'OPP-10').replace('Analytics;Billing', `Analytics;${long}`), // 8
      ROWS.a.replace('OPP-1', 'OPP-11').replace('120000', ''), // 9: no amount
      ROWS.a.replace('OPP-1', 'OPP-12').replace(',open,', ',,'), // 10: no status
      ROWS.a.replace('OPP-1', 'OPP-13').replace(',EMEA,', `,${long},`), // 11: too long
      ROWS.b, // 12: fine
      ROWS.b.replace('Globex new logo', 'again'), // 13: OPP-2 twice
      'OPP-20,short', // 14: wrong width
    );
    const { opportunities, issues } = validatePipelineCsv(text, 'USD');
    expect(issues.map((i) => [i.line, i.column])).toEqual([
      [2, 'opportunity_id'],
      [3, 'owner'],
      [4, 'amount'],
      [5, 'amount'],
      [5, 'currency'],
      [6, 'status'],
      [7, 'created'],
      [7, 'close_date'],
      [8, 'products'],
      [9, 'amount'],
      [10, 'status'],
      [11, 'region'],
      [13, 'opportunity_id'],
      [14, null],
    ]);
    const reason = (line: number, column: string | null) =>
      issues.find((i) => i.line === line && i.column === column)?.reason;
    expect(reason(2, 'opportunity_id')).toBe('is required');
    expect(reason(3, 'owner')).toBe('must be a Slack user id such as U0123ABCD or an email address');
    expect(reason(4, 'amount')).toMatch(/must be a number/);
    expect(reason(5, 'currency')).toBe('must be a 3-letter currency code such as USD');
    expect(reason(6, 'status')).toBe('must be one of open, won, lost');
    expect(reason(7, 'created')).toBe('must be a date written YYYY-MM-DD');
    expect(reason(8, 'products')).toBe('a product is longer than 75 characters');
    expect(reason(9, 'amount')).toBe('is required');
    expect(reason(13, 'opportunity_id')).toBe('the same opportunity is already on line 12');
    expect(reason(14, null)).toBe('has 2 fields but the header has 14');
    expect(opportunities.map((o) => o.line)).toEqual([12]);
  });

  it('refuses a file in more than one currency, naming the lines of the fewer', () => {
    const text = csv(
      ROWS.a,
      ROWS.b.replace(',USD,', ',eur,'),
      ROWS.c, // the default currency: USD
      ROWS.a.replace('OPP-1', 'OPP-4').replace(',USD,', ',GBP,'),
    );
    const { issues } = validatePipelineCsv(text, 'USD');
    expect(issues).toEqual([
      { line: 3, column: 'currency', reason: expect.stringMatching(/^EUR, but the other rows are in USD/) },
      { line: 5, column: 'currency', reason: expect.stringMatching(/^GBP, but the other rows are in USD/) },
    ]);
  });

  it('refuses a file that is not UTF-8, naming the line', () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEADER}\n${ROWS.a}\nOPP-2,Caf`),
      Buffer.from([0xe9]),
      Buffer.from(',A,U0REP1,1,USD,,open,,,,,,\n'),
    ]);
    const { issues } = validatePipelineCsv(bytes, 'USD');
    expect(issues).toEqual([{ line: 3, column: null, reason: expect.stringMatching(/UTF-8/) }]);
  });
});

describe('PipelineImport', () => {
  let temp: TempDatabase;
  let db: Db;
  let pipeline: PipelineImport;

  beforeEach(async () => {
    temp = await openTempDatabase();
    db = temp.db;
    pipeline = new PipelineImport(db, 'USD');
  });
  afterEach(() => temp.close());

  const opportunities = () => db('opportunities').orderBy('opportunity_id');
  const products = async () =>
    (
      (await db('opportunity_products as p')
        .join('opportunities as o', 'o.id', 'p.opportunity_id')
        .select('o.opportunity_id', 'p.product')) as { opportunity_id: string; product: string }[]
    )
      .map((r) => `${r.opportunity_id}:${r.product}`)
      .sort();

  it('imports a valid file: opportunities, owners and products', async () => {
    const result = await pipeline.importCsv(Buffer.from(PIPELINE), T1);
    expect(result).toEqual({
      ok: true,
      summary: { rows: 3, added: 3, updated: 0, unchanged: 0, removed: 0 },
    });
    const rows = await opportunities();
    expect(
      rows.map((r) => [r.opportunity_id, r.owner, r.owner_id, Number(r.amount), r.currency, r.status]),
    ).toEqual([
      ['OPP-1', 'U0REP1', 'U0REP1', 120000, 'USD', 'open'],
      ['OPP-2', 'rep@example.com', null, 45000.5, 'USD', 'won'],
      ['OPP-3', null, null, 8000, 'USD', 'lost'],
    ]);
    expect(rows[0]).toMatchObject({
      created_on: '2026-09-01',
      close_date: '2026-12-31',
      removed_at: null,
      created_at: T1.toISOString(),
      updated_at: T1.toISOString(),
    });
    expect(await products()).toEqual(['OPP-1:Analytics', 'OPP-1:Billing', 'OPP-2:Analytics']);
  });

  it('writes nothing when any row is wrong', async () => {
    const result = await pipeline.importCsv(csv(ROWS.a, ROWS.b.replace('45000.5', 'lots')), T1);
    expect(result).toEqual({
      ok: false,
      issues: [{ line: 3, column: 'amount', reason: expect.stringMatching(/must be a number/) }],
    });
    expect(await opportunities()).toEqual([]);
  });

  it('changes nothing when the same file is imported twice', async () => {
    await pipeline.importCsv(PIPELINE, T1);
    const before = await opportunities();
    const again = await pipeline.importCsv(PIPELINE, T2);
    expect(again).toEqual({ ok: true, summary: { rows: 3, added: 0, updated: 0, unchanged: 3, removed: 0 } });
    expect(await opportunities()).toEqual(before);
  });

  it('updates a changed row and its products, and leaves the others alone', async () => {
    await pipeline.importCsv(PIPELINE, T1);
    const changed = csv(
      ROWS.a
        .replace('120000', '150000')
        .replace(',open,', ',won,')
        .replace('Analytics;Billing', 'Billing;Payments'),
      ROWS.b,
      ROWS.c,
    );
    const result = await pipeline.importCsv(changed, T2);
    expect(result).toEqual({
      ok: true,
      summary: { rows: 3, added: 0, updated: 1, unchanged: 2, removed: 0 },
    });
    const rows = await opportunities();
    expect(rows[0]).toMatchObject({
      status: 'won',
      created_at: T1.toISOString(),
      updated_at: T2.toISOString(),
    });
    expect(Number(rows[0].amount)).toBe(150000);
    expect(rows[1].updated_at).toBe(T1.toISOString());
    expect(await products()).toEqual(['OPP-1:Billing', 'OPP-1:Payments', 'OPP-2:Analytics']);
  });

  it('keeps the Slack id an email owner was resolved to while the owner stays the same', async () => {
    await pipeline.importCsv(PIPELINE, T1);
    await db('opportunities').where({ opportunity_id: 'OPP-2' }).update({ owner_id: 'U0REP2' });
    expect((await pipeline.importCsv(PIPELINE, T2)).ok && (await opportunities())[1].owner_id).toBe('U0REP2');
    const moved = csv(ROWS.a, ROWS.b.replace('rep@example.com', 'other@example.com'), ROWS.c);
    const result = await pipeline.importCsv(moved, T2);
    expect(result.ok && result.summary.updated).toBe(1);
    expect((await opportunities())[1]).toMatchObject({ owner: 'other@example.com', owner_id: null });
  });

  it('--replace marks opportunities missing from the file removed, and a later row brings one back', async () => {
    await pipeline.importCsv(PIPELINE, T1);
    const without = await pipeline.importCsv(csv(ROWS.a), T2, { replace: true });
    expect(without).toEqual({
      ok: true,
      summary: { rows: 1, added: 0, updated: 0, unchanged: 1, removed: 2 },
    });
    const rows = await opportunities();
    expect(rows.map((r) => [r.opportunity_id, r.removed_at])).toEqual([
      ['OPP-1', null],
      ['OPP-2', T2.toISOString()],
      ['OPP-3', T2.toISOString()],
    ]);
    // Kept for history, with its products.
    expect(await products()).toContain('OPP-2:Analytics');
    // Without --replace, rows missing from a file are left as they are.
    const plain = await pipeline.importCsv(csv(ROWS.a, ROWS.b), T3);
    expect(plain).toEqual({ ok: true, summary: { rows: 2, added: 0, updated: 1, unchanged: 1, removed: 0 } });
    expect((await opportunities()).map((r) => [r.opportunity_id, r.removed_at])).toEqual([
      ['OPP-1', null],
      ['OPP-2', null],
      ['OPP-3', T2.toISOString()],
    ]);
    const again = await pipeline.importCsv(csv(ROWS.a), T3, { replace: true });
    expect(again.ok && again.summary.removed).toBe(1);
  });

  it('exports the pipeline in the import format, and the export imports without changes', async () => {
    const tricky =
      'OPP-9,"=HYPERLINK(""x""), Inc",@Acme,U0REP1,0,USD,"-stage, ""quoted""",open,,,,+Plus;Analytics,,';
    await pipeline.importCsv(csv(ROWS.a, ROWS.b, ROWS.c, tricky), T1);
    await pipeline.importCsv(csv(ROWS.a, ROWS.b, tricky), T2, { replace: true });
    const exported = await new PipelineExport(db).exportCsv();
    const lines = exported.trimEnd().split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(ROWS.a);
    expect(lines[2]).toBe(ROWS.b);
    // Formula-looking cells go out behind a quote; the removed OPP-3 is left out.
    expect(lines[3]).toBe(
      `OPP-9,"'=HYPERLINK(""x""), Inc",'@Acme,U0REP1,0,USD,"'-stage, ""quoted""",open,,,,'+Plus;Analytics,,`,
    );
    const before = await opportunities();
    const again = await pipeline.importCsv(exported, T3);
    expect(again).toEqual({ ok: true, summary: { rows: 3, added: 0, updated: 0, unchanged: 3, removed: 0 } });
    expect(await opportunities()).toEqual(before);
  });

  it('exports only the header when there is no pipeline', async () => {
    expect(await new PipelineExport(db).exportCsv()).toBe(`${HEADER}\n`);
  });
});
