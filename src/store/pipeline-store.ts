import { type Db, likePattern } from './database.ts';
import { slices } from './directory-import-store.ts';
import { readInChunks } from './read-in-chunks.ts';

const OPPORTUNITIES = 'opportunities';
const PRODUCTS = 'opportunity_products';

/**
 * Bound parameters per statement: the smallest limit of the databases refdesk runs on (SQLite before
 * 3.32); SQLite also caps a multi-row insert, which knex writes as `select ... union all`, at 500 rows.
 */
const MAX_BINDINGS = 999;
const MAX_ROWS_PER_INSERT = 500;

export const OPPORTUNITY_FIELDS = [
  'opportunity_id',
  'name',
  'account',
  'owner',
  'owner_id',
  'amount',
  'currency',
  'stage',
  'status',
  'created_on',
  'close_date',
  'industry',
  'region',
  'company_size',
  'removed_at',
] as const;

/** An opportunity's columns as the pipeline CSV sets them (and whether it was removed). */
export interface OpportunityFields {
  opportunity_id: string;
  name: string | null;
  account: string | null;
  owner: string | null;
  owner_id: string | null;
  amount: number;
  currency: string;
  stage: string | null;
  status: string;
  created_on: string | null;
  close_date: string | null;
  industry: string | null;
  region: string | null;
  company_size: string | null;
  removed_at: string | null;
}

export type StoredOpportunity = OpportunityFields & { id: number; products: string[] };

type OpportunityRow = OpportunityFields & { id: number };

/** `amount` comes back as text from some drivers' numeric types: always hand out a number. */
const mapRow = (row: OpportunityRow, products: string[]): StoredOpportunity => ({
  ...row,
  amount: Number(row.amount),
  products,
});

async function productsOf(db: Db, ids: readonly number[] | null): Promise<Map<number, string[]>> {
  type Row = { opportunity_id: number; product: string };
  const rows =
    ids === null
      ? ((await db(PRODUCTS).select('opportunity_id', 'product')) as Row[])
      : await readInChunks(
          ids,
          (part) =>
            db(PRODUCTS).whereIn('opportunity_id', part).select('opportunity_id', 'product') as Promise<
              Row[]
            >,
          MAX_BINDINGS - 10,
        );
  const byId = new Map<number, string[]>();
  for (const { opportunity_id: id, product } of rows) {
    const list = byId.get(id);
    if (list) list.push(product);
    else byId.set(id, [product]);
  }
  for (const list of byId.values()) list.sort();
  return byId;
}

/**
 * All SQL of the imported sales pipeline: the bulk import (read everything in one pass, write in
 * multi-row statements), the export, and the owners whose email still needs a Slack id.
 * Portable knex: runs on SQLite and PostgreSQL.
 */
/** An open opportunity as the request form offers it. */
export interface OpenOpportunity {
  opportunityId: string;
  name: string | null;
  account: string | null;
  amount: number;
  currency: string;
}

export class PipelineStore {
  /** Every opportunity, removed ones too, with its products (sorted). */
  async all(db: Db): Promise<StoredOpportunity[]> {
    const rows = (await db(OPPORTUNITIES).select('id', ...OPPORTUNITY_FIELDS)) as OpportunityRow[];
    const products = await productsOf(db, null);
    return rows.map((r) => mapRow(r, products.get(r.id) ?? []));
  }

  /** The opportunities not removed, without their products (see `productsOf`). */
  async current(db: Db): Promise<StoredOpportunity[]> {
    const rows = (await db(OPPORTUNITIES)
      .whereNull('removed_at')
      .select('id', ...OPPORTUNITY_FIELDS)) as OpportunityRow[];
    return rows.map((r) => mapRow(r, []));
  }

  /** The products of these opportunities, each list sorted. */
  productsOf(db: Db, ids: readonly number[]): Promise<Map<number, string[]>> {
    return productsOf(db, ids);
  }

  /** Inserts the opportunities and returns their new ids by CRM id. */
  async insert(db: Db, rows: readonly OpportunityFields[], at: string): Promise<Map<string, number>> {
    if (rows.length === 0) return new Map();
    const perInsert = Math.min(
      MAX_ROWS_PER_INSERT,
      Math.floor(MAX_BINDINGS / (OPPORTUNITY_FIELDS.length + 2)),
    );
    for (const part of slices(rows, perInsert)) {
      await db(OPPORTUNITIES).insert(part.map((r) => ({ ...r, created_at: at, updated_at: at })));
    }
    const ids = await readInChunks(
      rows.map((r) => r.opportunity_id),
      (part) =>
        db(OPPORTUNITIES).whereIn('opportunity_id', part).select('id', 'opportunity_id') as Promise<
          { id: number; opportunity_id: string }[]
        >,
      MAX_BINDINGS - 10,
    );
    return new Map(ids.map((r) => [r.opportunity_id, r.id]));
  }

  /**
   * Writes these opportunities, found by CRM id, whole: a few hundred rows per statement
   * (`insert ... on conflict (opportunity_id) do update` on both databases), so a file that changes
   * every amount costs a hundred statements, not one per row. Their ids stay the same.
   */
  async update(db: Db, rows: readonly OpportunityFields[], at: string): Promise<void> {
    const columns = [...OPPORTUNITY_FIELDS, 'updated_at'] as const;
    const perInsert = Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_BINDINGS / (columns.length + 1)));
    for (const part of slices(rows, perInsert)) {
      await db(OPPORTUNITIES)
        // created_at is there for the insert half, which never happens: every row exists.
        .insert(part.map((r) => ({ ...r, created_at: at, updated_at: at })))
        .onConflict('opportunity_id')
        .merge([...columns]);
    }
  }

  /** Sets the products of these opportunities to exactly the given lists. */
  async replaceProducts(db: Db, products: ReadonlyMap<number, readonly string[]>): Promise<void> {
    for (const part of slices([...products.keys()], MAX_BINDINGS - 10)) {
      await db(PRODUCTS).whereIn('opportunity_id', part).delete();
    }
    const rows = [...products].flatMap(([id, list]) =>
      list.map((product) => ({ opportunity_id: id, product })),
    );
    for (const part of slices(rows, Math.floor(MAX_BINDINGS / 2))) await db(PRODUCTS).insert(part);
  }

  /** Marks these opportunities removed (kept for history, left out of reports and the export). */
  async markRemoved(db: Db, ids: readonly number[], at: string): Promise<void> {
    for (const part of slices(ids, MAX_BINDINGS - 10)) {
      await db(OPPORTUNITIES).whereIn('id', part).update({ removed_at: at, updated_at: at });
    }
  }

  /** The owners given as an email whose Slack id is not known yet, each once. */
  /** Whether any opportunity (not removed) is loaded. */
  async loaded(db: Db): Promise<boolean> {
    return (await db(OPPORTUNITIES).whereNull('removed_at').first('id')) !== undefined;
  }

  /** A rep's open opportunities whose id, name or prospect contains `text` (case aside), newest first. */
  async openOf(db: Db, ownerId: string, text: string, limit: number): Promise<OpenOpportunity[]> {
    const query = db(OPPORTUNITIES)
      .where({ owner_id: ownerId, status: 'open' })
      .whereNull('removed_at')
      .orderBy([{ column: 'created_on', order: 'desc' }, 'opportunity_id'])
      .limit(limit)
      .select('opportunity_id', 'name', 'account', 'amount', 'currency');
    const needle = text.trim().toLowerCase();
    if (needle) {
      const like = likePattern(needle);
      query.where((w) =>
        w
          .whereRaw("lower(opportunity_id) like ? escape '\\'", [like])
          .orWhereRaw("lower(coalesce(name, '')) like ? escape '\\'", [like])
          .orWhereRaw("lower(coalesce(account, '')) like ? escape '\\'", [like]),
      );
    }
    const rows = (await query) as {
      opportunity_id: string;
      name: string | null;
      account: string | null;
      amount: number | string;
      currency: string;
    }[];
    return rows.map((r) => ({
      opportunityId: r.opportunity_id,
      name: r.name,
      account: r.account,
      amount: Number(r.amount),
      currency: r.currency,
    }));
  }

  async unresolvedOwnerEmails(db: Db): Promise<string[]> {
    const rows = (await db(OPPORTUNITIES)
      .whereNull('owner_id')
      .where('owner', 'like', '%@%')
      .distinct('owner')) as { owner: string }[];
    return rows.map((r) => r.owner).sort();
  }

  /** Gives every opportunity of this owner (as the file wrote them) its Slack id; returns how many. */
  async setOwnerId(db: Db, owner: string, ownerId: string): Promise<number> {
    return db(OPPORTUNITIES).where({ owner }).whereNull('owner_id').update({ owner_id: ownerId });
  }
}
