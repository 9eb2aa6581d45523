import type { Knex } from 'knex';

/**
 * The modal submissions that created a row, by Slack's view id: a submission delivered twice
 * (a retry, a double click) finds the row the first one created instead of creating another.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('form_submissions', (t) => {
    t.string('view_id', 64).primary();
    t.string('kind', 32).notNullable();
    t.integer('result_id').nullable();
    t.string('created_at', 32).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('form_submissions');
}
