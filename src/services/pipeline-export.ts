import { PIPELINE_COLUMNS, type PipelineColumn } from '../domain/pipeline.ts';
import type { Db } from '../store/database.ts';
import { slices } from '../store/directory-import-store.ts';
import { PipelineStore, type StoredOpportunity } from '../store/pipeline-store.ts';
import { type CsvValue, csvText } from './csv-cells.ts';

/** Rows turned into CSV text (and products read) at a time. */
const ROWS_PER_CHUNK = 2_000;

type CsvRecord = Record<PipelineColumn, CsvValue>;

const csvRecord = (o: StoredOpportunity, products: readonly string[]): CsvRecord => ({
  opportunity_id: o.opportunity_id,
  name: o.name,
  account: o.account,
  owner: o.owner,
  amount: o.amount,
  currency: o.currency,
  stage: o.stage,
  status: o.status,
  created: o.created_on,
  close_date: o.close_date,
  industry: o.industry,
  products: products.join(';'),
  region: o.region,
  company_size: o.company_size,
});

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Writes the pipeline (removed opportunities left out) as CSV in the import format, ordered by CRM id,
 * every cell neutralized against CSV injection. Importing the result changes nothing.
 */
export class PipelineExport {
  constructor(
    private readonly db: Db,
    private readonly store = new PipelineStore(),
  ) {}

  /** Hands the CSV to `write` in pieces (the header first); returns the number of opportunities written. */
  async writeCsv(write: (text: string) => Promise<void>): Promise<number> {
    // Sorted here, not in SQL, so the order is the same on SQLite and PostgreSQL.
    const opportunities = (await this.store.current(this.db)).sort((a, b) =>
      byText(a.opportunity_id, b.opportunity_id),
    );
    if (opportunities.length === 0) await write(csvText([], PIPELINE_COLUMNS, true));
    let header = true;
    for (const part of slices(opportunities, ROWS_PER_CHUNK)) {
      const products = await this.store.productsOf(
        this.db,
        part.map((o) => o.id),
      );
      await write(
        csvText(
          part.map((o) => csvRecord(o, products.get(o.id) ?? [])),
          PIPELINE_COLUMNS,
          header,
        ),
      );
      header = false;
    }
    return opportunities.length;
  }

  /** The whole CSV as one string (tests, small pipelines). */
  async exportCsv(): Promise<string> {
    let text = '';
    await this.writeCsv(async (chunk) => {
      text += chunk;
    });
    return text;
  }
}
