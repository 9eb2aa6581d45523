import { stringify } from 'csv-stringify/sync';
import { escapeFormula } from '../domain/directory-entry.ts';

/**
 * A cell as refdesk writes it to any CSV: one that starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return (OWASP CSV injection) goes out behind a `'`, so a spreadsheet shows it as text instead of running
 * it. The rule is the directory's own (`escapeFormula`), because its import undoes exactly that quote.
 */
export const neutralizeCell = (value: string): string => escapeFormula(value);

/** What a cell may hold before it is written; null and undefined are empty cells. */
export type CsvValue = string | number | boolean | null | undefined;

const text = (value: number | bigint | boolean) => neutralizeCell(String(value));

/**
 * Records as CSV text (the header first when asked), every cell neutralized whatever its type: a number
 * or a boolean is turned into text before the check, so no value can slip past it.
 */
export function csvText<Column extends string>(
  records: readonly Partial<Record<Column, CsvValue>>[],
  columns: readonly Column[],
  header: boolean,
): string {
  return stringify([...records], {
    header,
    columns: [...columns],
    cast: { string: neutralizeCell, number: text, bigint: text, boolean: text },
  });
}
