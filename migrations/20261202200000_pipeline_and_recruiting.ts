import type { Knex } from 'knex';

/**
 * Demand and supply: the sales pipeline imported from the CRM (one row per opportunity, its products one
 * per row), and recruiting drives that ask account owners to nominate the references a gap needs.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('opportunities', (t) => {
    t.increments('id');
    /** The CRM's id: the key an import matches rows by, and what a request's opportunity field may name. */
    t.string('opportunity_id', 100).notNullable().unique();
    t.string('name', 200).nullable();
    /** The prospect. */
    t.string('account', 200).nullable();
    /** The rep as the file gave them (a Slack user id or an email), and their Slack id once known. */
    t.string('owner', 254).nullable();
    t.string('owner_id', 32).nullable();
    t.double('amount').notNullable();
    t.string('currency', 3).notNullable();
    t.string('stage', 100).nullable();
    /** open, won or lost. */
    t.string('status', 10).notNullable();
    t.string('created_on', 10).nullable();
    t.string('close_date', 10).nullable();
    t.string('industry', 75).nullable();
    t.string('region', 75).nullable();
    t.string('company_size', 75).nullable();
    /** Missing from a file imported with --replace: kept for history, left out of reports. */
    t.string('removed_at', 30).nullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['status', 'removed_at'], 'opportunities_status');
    t.index(['owner_id', 'status'], 'opportunities_owner');
  });
  await knex.schema.createTable('opportunity_products', (t) => {
    t.integer('opportunity_id').unsigned().notNullable().references('opportunities.id');
    t.string('product', 75).notNullable();
    t.primary(['opportunity_id', 'product']);
    t.index(['product'], 'opportunity_products_product');
  });
  await knex.schema.alterTable('reference_requests', (t) => {
    // A request names its opportunity by the CRM's id: the win rate with and without a reference joins on it.
    t.index(['opportunity'], 'reference_requests_opportunity');
    /** When its card first showed no eligible contact (unmet demand, counted in the coverage gaps). */
    t.string('no_match_at', 30).nullable();
  });

  await knex.schema.createTable('recruiting_drives', (t) => {
    t.increments('id');
    /** The segment the program needs references in (null: any). */
    t.string('industry', 75).nullable();
    t.string('product', 75).nullable();
    t.string('region', 75).nullable();
    t.string('company_size', 75).nullable();
    t.string('seniority', 20).nullable();
    t.string('activity', 30).nullable();
    /** How many new references the managers want. */
    t.integer('wanted').notNullable();
    /** Why: the open pipeline it would serve, as the managers saw it. */
    t.double('pipeline_amount').nullable();
    t.integer('pipeline_count').nullable();
    t.string('status', 10).notNullable().defaultTo('open');
    t.string('created_by', 32).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });
  await knex.schema.createTable('recruiting_asks', (t) => {
    t.increments('id');
    t.integer('drive_id').unsigned().notNullable().references('recruiting_drives.id');
    t.string('owner_id', 32).notNullable();
    /** The accounts of the segment this owner holds, as asked (JSON array of account ids). */
    t.text('account_ids').notNullable();
    t.string('asked_at', 30).notNullable();
    /** nominated or no_one_fits, and when. */
    t.string('answer', 20).nullable();
    t.string('answered_at', 30).nullable();
    t.unique(['drive_id', 'owner_id']);
    t.index(['owner_id', 'asked_at'], 'recruiting_asks_owner');
  });
  await knex.schema.alterTable('nominations', (t) => {
    t.integer('drive_id').unsigned().nullable().references('recruiting_drives.id');
    t.index(['drive_id'], 'nominations_drive');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('nominations', (t) => {
    t.dropIndex(['drive_id'], 'nominations_drive');
    t.dropForeign(['drive_id']);
    t.dropColumn('drive_id');
  });
  await knex.schema.dropTableIfExists('recruiting_asks');
  await knex.schema.dropTableIfExists('recruiting_drives');
  await knex.schema.alterTable('reference_requests', (t) => {
    t.dropIndex(['opportunity'], 'reference_requests_opportunity');
    t.dropColumn('no_match_at');
  });
  await knex.schema.dropTableIfExists('opportunity_products');
  await knex.schema.dropTableIfExists('opportunities');
}
