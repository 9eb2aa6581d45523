import type { Knex } from 'knex';

/**
 * What the program report counts, kept where one index can read it (`npm run bench -- reports`, 365 days
 * of 200,000 asks: each table of the report under 300 ms, the whole report under 1 s):
 * - a request's first decision and the moment its contact was secured, on the request itself: turnaround
 *   and the needed-by share no longer join every ask to its request;
 * - a request's products one per row (with its submission time), so asks can be counted and filtered by
 *   product in SQL instead of by matching JSON text;
 * - indexes led by the columns the report groups by, so SQLite walks them in order instead of sorting.
 */
const REQUEST_INDEXES: [columns: string[], name: string][] = [
  [['status', 'activity', 'created_at'], 'reference_requests_status_activity'],
  [['industry', 'region', 'company_size', 'created_at'], 'reference_requests_segments'],
  [['decided_at', 'created_at'], 'reference_requests_decided'],
  [['secured_at', 'created_at'], 'reference_requests_secured'],
  [['needed_by', 'status', 'secured_at'], 'reference_requests_needed_by_secured'],
];
const ASK_INDEXES: [columns: string[], name: string][] = [
  [['owner_id', 'answered_at', 'approved_at'], 'reference_asks_owner_answered'],
  [['answer', 'answered_at', 'request_id'], 'reference_asks_answer'],
];
const BATCH = 500;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reference_requests', (t) => {
    t.string('decided_at', 30).nullable();
    t.string('secured_at', 30).nullable();
  });
  // The first decision: the first approval, or the denial of a request never approved.
  await knex.raw(`update reference_requests set decided_at = coalesce(
      (select k.approved_at from reference_asks k where k.request_id = reference_requests.id and k.round = 1),
      case when status = 'denied' then closed_at end)`);
  await knex.raw(`update reference_requests set secured_at = (
      select k.answered_at from reference_asks k
      where k.id = reference_requests.current_ask_id and k.answer = 'agreed')`);

  await knex.schema.createTable('request_products', (t) => {
    t.integer('request_id').unsigned().notNullable().references('reference_requests.id');
    t.string('product', 75).notNullable();
    t.string('created_at', 30).notNullable();
    t.primary(['request_id', 'product']);
    t.index(['product', 'created_at'], 'request_products_product_created');
  });
  let after = 0;
  for (;;) {
    const rows = (await knex('reference_requests')
      .where('id', '>', after)
      .whereNot('products', '[]')
      .orderBy('id')
      .limit(BATCH)
      .select('id', 'products', 'created_at')) as { id: number; products: string; created_at: string }[];
    if (rows.length === 0) break;
    const products = rows.flatMap((r) =>
      [...new Set(JSON.parse(r.products) as string[])].map((product) => ({
        request_id: r.id,
        product,
        created_at: r.created_at,
      })),
    );
    if (products.length > 0) await knex('request_products').insert(products);
    after = rows.at(-1)!.id;
  }

  for (const [columns, name] of REQUEST_INDEXES) {
    await knex.schema.alterTable('reference_requests', (t) => {
      t.index(columns, name);
    });
  }
  for (const [columns, name] of ASK_INDEXES) {
    await knex.schema.alterTable('reference_asks', (t) => {
      t.index(columns, name);
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [columns, name] of [...ASK_INDEXES, ...REQUEST_INDEXES]) {
    await knex.schema.alterTable(
      name.startsWith('reference_asks') ? 'reference_asks' : 'reference_requests',
      (t) => {
        t.dropIndex(columns, name);
      },
    );
  }
  await knex.schema.dropTableIfExists('request_products');
  await knex.schema.alterTable('reference_requests', (t) => {
    t.dropColumn('decided_at');
    t.dropColumn('secured_at');
  });
}
