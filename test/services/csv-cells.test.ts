import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { unescapeFormula } from '../../src/domain/directory-entry.ts';
import { csvText, neutralizeCell } from '../../src/services/csv-cells.ts';

describe('csv cells', () => {
  const RUNNABLE = ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', "'=1+1", "''-2"];

  it('puts a quote before every cell a spreadsheet would run, which the directory import takes off', () => {
    for (const value of RUNNABLE) {
      expect(neutralizeCell(value)).toBe(`'${value}`);
      expect(unescapeFormula(neutralizeCell(value))).toBe(value);
    }
    for (const value of ['', 'Acme', "'quoted", '1-1', 'a=b']) expect(neutralizeCell(value)).toBe(value);
  });

  it('neutralizes cells of every type, leaves null and undefined empty, and writes the header once asked', () => {
    const columns = ['text', 'number', 'flag', 'none', 'missing'] as const;
    const records = [
      { text: '=HYPERLINK("x")', number: -5, flag: true, none: null, missing: undefined },
      { text: 'plain', number: 12.5, flag: false, none: null },
    ];
    const text = csvText(records, columns, true);
    expect(text).toBe(`text,number,flag,none,missing\n"'=HYPERLINK(""x"")",'-5,true,,\nplain,12.5,false,,\n`);
    expect(csvText(records, columns, false)).toBe(text.slice(text.indexOf('\n') + 1));
    expect(csvText([], columns, true)).toBe('text,number,flag,none,missing\n');
    const cells = (parse(text, { columns: true }) as Record<string, string>[]).flatMap((r) =>
      Object.values(r),
    );
    for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});
