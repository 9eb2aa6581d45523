import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PIPELINE_COLUMNS } from '../../src/domain/pipeline.ts';
import { runCliInProcess } from '../support/run-cli.ts';

const HEADER = PIPELINE_COLUMNS.join(',');
const ROWS = [
  'OPP-1,Acme expansion,Acme Health,U0REP1,120000,EUR,Negotiation,open,2026-09-01,2026-12-31,Healthcare,Analytics;Billing,EMEA,1000-4999',
  'OPP-2,Globex new logo,Globex,rep@example.com,45000.5,EUR,Closed Won,won,2026-03-15,2026-10-02,Manufacturing,Analytics,North America,Enterprise',
  'OPP-3,Initech,Initech,,8000,,Closed Lost,lost,,,,,,',
];
const csv = (...lines: string[]) => `${[HEADER, ...lines].join('\n')}\n`;

describe('the refdesk command line: the pipeline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'refdesk-cli-pipeline-'));
  // Rows without a currency take PIPELINE_CURRENCY.
  const env = { DATABASE_URL: `sqlite:${join(dir, 'cli.sqlite')}`, PIPELINE_CURRENCY: 'EUR' };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a pipeline, re-imports it without changes, and --replace marks the missing removed', async () => {
    const file = join(dir, 'pipeline.csv');
    writeFileSync(file, csv(...ROWS));
    const first = await runCliInProcess(['import', 'pipeline', file], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout.trim()).toBe('imported 3 rows: opportunities 3 new, 0 updated, 0 unchanged');
    const again = await runCliInProcess(['import', 'pipeline', file], env);
    expect(again.stdout.trim()).toBe('imported 3 rows: opportunities 0 new, 0 updated, 3 unchanged');

    const fewer = join(dir, 'fewer.csv');
    writeFileSync(fewer, csv(ROWS[0]!, ROWS[2]!));
    const replaced = await runCliInProcess(['import', 'pipeline', '--replace', fewer], env);
    expect(replaced.stdout.trim()).toBe(
      'imported 2 rows: opportunities 0 new, 0 updated, 2 unchanged, 1 removed (missing from the file)',
    );
  });

  it('lists every bad row with its line and column, writes nothing and exits 1', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      csv(
        'OPP-7,,,,-1,,,open,,,,,,',
        ROWS[1]!,
        ROWS[2]!,
        ROWS[0]!.replace('EUR', 'USD'),
        'OPP-8,,,,1,,,maybe,,,,,,',
        ROWS[2]!,
      ),
    );
    const result = await runCliInProcess(['import', 'pipeline', file], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        `refdesk: ${file} was not imported; nothing was written. Fix these rows and try again:`,
        '  line 2, column amount: must be a number such as 12000 or 12000.50, without separators',
        '  line 5, column currency: USD, but the other rows are in EUR: a file holds one currency (amounts are not converted)',
        '  line 6, column status: must be one of open, won, lost',
        '  line 7, column opportunity_id: the same opportunity is already on line 4',
        '',
      ].join('\n'),
    );
  });

  it('exports the pipeline to a file or to stdout, and the export imports without changes', async () => {
    // OPP-2 was removed by --replace; OPP-3's empty currency is PIPELINE_CURRENCY; the bad file wrote nothing.
    const file = join(dir, 'exported.csv');
    const toFile = await runCliInProcess(['export', 'pipeline', file], env);
    expect(toFile.code).toBe(0);
    expect(toFile.stdout.trim()).toBe(`exported 2 opportunities to ${file}`);
    const written = readFileSync(file, 'utf8');
    expect(written).toBe(csv(ROWS[0]!, ROWS[2]!.replace(',8000,,', ',8000,EUR,')));

    const toStdout = await runCliInProcess(['export', 'pipeline'], env);
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout).toBe(written);

    const again = await runCliInProcess(['import', 'pipeline', file, '--replace'], env);
    expect(again.stdout.trim()).toBe(
      'imported 2 rows: opportunities 0 new, 0 updated, 2 unchanged, 0 removed (missing from the file)',
    );
  });

  it('exports the coverage gaps, every cell safe for a spreadsheet', async () => {
    const own = { ...env, DATABASE_URL: `sqlite:${join(dir, 'gaps.sqlite')}` };
    const file = join(dir, 'gaps-pipeline.csv');
    writeFileSync(
      file,
      csv(
        'OPP-10,,Hooli,U0REP1,300000,EUR,,open,2026-11-01,,=HYPERLINK(1),Analytics,EMEA,1000-4999',
        'OPP-11,,Umbrella,U0REP1,500000,EUR,,open,2026-11-02,,=HYPERLINK(1),Analytics,EMEA,1000-4999',
      ),
    );
    expect((await runCliInProcess(['import', 'pipeline', file], own)).code).toBe(0);
    const gaps = await runCliInProcess(['export', 'gaps'], own);
    expect(gaps.code).toBe(0);
    const [header, first] = gaps.stdout.split('\n');
    expect(header).toMatch(
      /^rank,segment,industry,product,region,company_size,up_and_coming,currency,open_amount,open_deals,/,
    );
    // Nobody in the (empty) directory: every segment of the two deals is short, the single dimensions first.
    expect(first).toMatch(/^1,/);
    expect(gaps.stdout).toContain(",'=HYPERLINK(1),");
    expect(gaps.stdout).not.toMatch(/,=HYPERLINK/);
    expect(gaps.stdout).toContain(',EUR,800000,2,');
  });

  it('explains the commands when they are used wrongly', async () => {
    const none = await runCliInProcess(['import', 'pipeline'], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/import pipeline <file\.csv> \[--replace\]/);
    const badCurrency = await runCliInProcess(['import', 'pipeline', join(dir, 'pipeline.csv')], {
      ...env,
      PIPELINE_CURRENCY: 'euro',
    });
    expect(badCurrency.code).toBe(2);
    expect(badCurrency.stderr).toMatch(/PIPELINE_CURRENCY is invalid/);
    const missing = await runCliInProcess(['import', 'pipeline', join(dir, 'nope.csv')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read/);
    const export2 = await runCliInProcess(['export', 'pipeline', 'a.csv', 'b.csv'], env);
    expect(export2.code).toBe(2);
    expect(export2.stderr).toMatch(/export pipeline \[file\.csv\]/);
  });
});
