import { parse } from 'csv-parse/sync';
import { unescapeFormula } from '../domain/directory-entry.ts';

/** A problem of an import file, on a line (and a column when it is about one). */
export interface ImportIssue {
  line: number;
  column: string | null;
  reason: string;
}

export interface CsvTableRow<Column extends string> {
  line: number;
  record: Partial<Record<Column, string>>;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The line of the first byte that is not UTF-8: a multi-byte character never holds a newline byte. */
function firstBadLine(bytes: Uint8Array): number {
  let start = 0;
  for (let line = 1; ; line++) {
    const end = bytes.indexOf(0x0a, start);
    if (!strictUtf8Decodes(bytes.subarray(start, end === -1 ? bytes.length : end))) return line;
    if (end === -1) return line;
    start = end + 1;
  }
}

function strictUtf8Decodes(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const DELIMITERS = [
  { delimiter: ';', name: ';-separated' },
  { delimiter: '\t', name: 'tab-separated' },
];

const lineIssue = (reason: string, line = 1): ImportIssue => ({ line, column: null, reason });

/**
 * A CSV file as rows of known columns, each with the line it starts on, in the directory import's
 * terms: strict UTF-8 (a BOM is dropped), header names case-insensitive and trimmed, unknown columns
 * ignored, a cell's formula quote taken off; a missing required column, a column named twice, a
 * `;`- or tab-separated file or a row of the wrong width is an issue.
 */
export function readCsvTable<Column extends string>(
  csv: string | Uint8Array,
  columns: readonly Column[],
  required: readonly Column[],
): { rows: CsvTableRow<Column>[]; issues: ImportIssue[] } {
  let text: string;
  if (typeof csv === 'string') text = csv;
  else if (strictUtf8Decodes(csv)) text = strictUtf8.decode(csv);
  else {
    const reason = 'not valid UTF-8 text; save the file as "CSV UTF-8" and import it again';
    return { rows: [], issues: [lineIssue(reason, firstBadLine(csv))] };
  }
  type Parsed = { record: string[]; info: { lines: number } };
  let records: Parsed[];
  try {
    const options = { bom: true, skip_empty_lines: true, relax_column_count: true, info: true };
    records = parse(text, options) as unknown as Parsed[];
  } catch (error) {
    return { rows: [], issues: [lineIssue((error as Error).message, (error as { lines?: number }).lines)] };
  }
  const header = (records[0]?.record ?? []).map((h) => h.trim().toLowerCase());
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    const delimiter =
      header.length === 1 &&
      DELIMITERS.find((d) => header[0]!.split(d.delimiter).some((h) => columns.includes(h.trim() as Column)));
    if (delimiter) {
      return {
        rows: [],
        issues: [
          lineIssue(
            `the file looks ${delimiter.name}, but refdesk reads comma-separated files: save it with commas between the columns`,
          ),
        ],
      };
    }
    const reason = 'this required column is missing from the header';
    return { rows: [], issues: missing.map((column) => ({ line: 1, column, reason })) };
  }
  const twice = [...new Set(header.filter((h, i) => h && header.indexOf(h) !== i))];
  if (twice.length > 0) {
    const reason = 'this column appears twice in the header';
    return { rows: [], issues: twice.map((column) => ({ line: 1, column, reason })) };
  }
  const known = columns.flatMap((column) => {
    const index = header.indexOf(column);
    return index === -1 ? [] : [{ column, index }];
  });
  const rows: CsvTableRow<Column>[] = [];
  const issues: ImportIssue[] = [];
  for (const { record, info } of records.slice(1)) {
    // info.lines is where the record ends; a quoted field may span lines, so count back to its start.
    const line = info.lines - record.reduce((n, field) => n + field.split('\n').length - 1, 0);
    if (record.length !== header.length) {
      issues.push(lineIssue(`has ${record.length} fields but the header has ${header.length}`, line));
      continue;
    }
    const row: Partial<Record<Column, string>> = {};
    for (const { column, index } of known) row[column] = unescapeFormula(record[index]!);
    rows.push({ line, record: row });
  }
  return { rows, issues };
}
