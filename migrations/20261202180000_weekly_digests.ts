import type { Knex } from 'knex';

/** One row per weekly digest, written with its message: the week is sent once, across restarts and replicas. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('weekly_digests', (t) => {
    t.string('sent_on', 10).primary();
    t.string('queued_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('weekly_digests');
}
