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
import { type ImportIssue, readCsvTable } from './csv-table.ts';

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
