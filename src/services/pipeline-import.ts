import { parse } from 'csv-parse/sync';
import { unescapeFormula } from '../domain/directory-entry.ts';
import {
  minorityCurrencyLines,
  type Opportunity,
  PIPELINE_COLUMNS,
  type PipelineColumn,
  parseOpportunityRow,
  REQUIRED_PIPELINE_COLUMNS,
} from '../domain/pipeline.ts';
import type { Db } from '../store/database.ts';
import { type OpportunityFields, PipelineStore, type StoredOpportunity } from '../store/pipeline-store.ts';
import type { ImportIssue } from './directory-import.ts';

export interface PipelineImportSummary {
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Opportunities missing from a file imported with --replace, marked removed now. */
  removed: number;
}

export type PipelineImportResult =
  | { ok: true; summary: PipelineImportSummary }
  | { ok: false; issues: ImportIssue[] };

export interface LineOpportunity {
  line: number;
  opportunity: Opportunity;
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

/**
 * Validates every row, then the rows together: one opportunity once, one currency in the file.
 * `defaultCurrency` is taken for a row without one (PIPELINE_CURRENCY).
 */
export function validatePipelineCsv(
  csv: string | Uint8Array,
  defaultCurrency: string,
): { opportunities: LineOpportunity[]; issues: ImportIssue[] } {
  const read = readCsvTable<PipelineColumn>(csv, PIPELINE_COLUMNS, REQUIRED_PIPELINE_COLUMNS);
  const issues = [...read.issues];
  const opportunities: LineOpportunity[] = [];
  const lines = new Map<string, number>();
  for (const { line, record } of read.rows) {
    const result = parseOpportunityRow(record, defaultCurrency);
    if (!result.ok) {
      issues.push(...result.issues.map((i) => ({ line, ...i })));
      continue;
    }
    const { opportunity } = result;
    const first = lines.get(opportunity.opportunityId);
    if (first !== undefined) {
      const reason = `the same opportunity is already on line ${first}`;
      issues.push({ line, column: 'opportunity_id', reason });
      continue;
    }
    lines.set(opportunity.opportunityId, line);
    opportunities.push({ line, opportunity });
  }
  const currencies = opportunities.map((o) => ({ line: o.line, currency: o.opportunity.currency }));
  for (const { currency, majority, lines: minority } of minorityCurrencyLines(currencies)) {
    const reason = `${currency}, but the other rows are in ${majority}: a file holds one currency (amounts are not converted)`;
    for (const line of minority) issues.push({ line, column: 'currency', reason });
  }
  return { opportunities, issues: issues.sort((a, b) => a.line - b.line) };
}

/** The columns an opportunity's row gets; an email owner keeps the Slack id it was resolved to. */
function fieldsOf(o: Opportunity, current: StoredOpportunity | undefined): OpportunityFields {
  const keepsOwner = current !== undefined && current.owner === o.owner;
  return {
    opportunity_id: o.opportunityId,
    name: o.name,
    account: o.account,
    owner: o.owner,
    owner_id: o.ownerId ?? (keepsOwner ? current.owner_id : null),
    amount: o.amount,
    currency: o.currency,
    stage: o.stage,
    status: o.status,
    created_on: o.createdOn,
    close_date: o.closeDate,
    industry: o.industry,
    region: o.region,
    company_size: o.companySize,
    removed_at: null,
  };
}

const sameFields = (current: StoredOpportunity, wanted: OpportunityFields) =>
  (Object.keys(wanted) as (keyof OpportunityFields)[]).every((key) => current[key] === wanted[key]);

const sameProducts = (sorted: readonly string[], given: readonly string[]) =>
  sorted.length === given.length && [...given].sort().every((p, i) => p === sorted[i]);

/**
 * Loads the sales pipeline from a CRM report as CSV: every row is validated first, then everything is
 * written in one transaction, in bulk (existing opportunities read in one pass, multi-row writes).
 * Rows that match the database change nothing, so importing a file again is a no-op.
 */
export class PipelineImport {
  constructor(
    private readonly db: Db,
    /** The currency of a row without one: PIPELINE_CURRENCY. */
    private readonly defaultCurrency: string,
    private readonly store = new PipelineStore(),
  ) {}

  /** `csv` is a file's bytes, or text already decoded; `replace` marks opportunities missing from it removed. */
  async importCsv(
    csv: string | Uint8Array,
    now: Date,
    options: { replace?: boolean } = {},
  ): Promise<PipelineImportResult> {
    const { opportunities, issues } = validatePipelineCsv(csv, this.defaultCurrency);
    if (issues.length > 0) return { ok: false, issues };
    const summary = await this.db.transaction((trx) =>
      this.apply(trx, opportunities, now.toISOString(), options.replace ?? false),
    );
    return { ok: true, summary };
  }

  private async apply(
    trx: Db,
    rows: readonly LineOpportunity[],
    at: string,
    replace: boolean,
  ): Promise<PipelineImportSummary> {
    const existing = new Map((await this.store.all(trx)).map((o) => [o.opportunity_id, o]));
    const summary: PipelineImportSummary = {
      rows: rows.length,
      added: 0,
      updated: 0,
      unchanged: 0,
      removed: 0,
    };
    const created: Opportunity[] = [];
    const updates: OpportunityFields[] = [];
    const products = new Map<number, readonly string[]>();
    for (const { opportunity } of rows) {
      const current = existing.get(opportunity.opportunityId);
      if (!current) {
        created.push(opportunity);
        continue;
      }
      const wanted = fieldsOf(opportunity, current);
      const productsChanged = !sameProducts(current.products, opportunity.products);
      if (sameFields(current, wanted) && !productsChanged) {
        summary.unchanged++;
        continue;
      }
      summary.updated++;
      updates.push(wanted);
      if (productsChanged) products.set(current.id, opportunity.products);
    }
    const newIds = await this.store.insert(
      trx,
      created.map((o) => fieldsOf(o, undefined)),
      at,
    );
    for (const o of created) products.set(newIds.get(o.opportunityId)!, o.products);
    summary.added = created.length;
    await this.store.update(trx, updates, at);
    await this.store.replaceProducts(trx, products);
    if (replace) {
      const inFile = new Set(rows.map((r) => r.opportunity.opportunityId));
      const missing = [...existing.values()].filter(
        (o) => o.removed_at === null && !inFile.has(o.opportunity_id),
      );
      await this.store.markRemoved(
        trx,
        missing.map((o) => o.id),
        at,
      );
      summary.removed = missing.length;
    }
    return summary;
  }
}
