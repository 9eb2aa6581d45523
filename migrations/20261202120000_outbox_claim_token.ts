import type { Knex } from 'knex';

/**
 * Each claim of a delivery gets a token: a worker whose lease ran out (it hung, or died and came
 * back) can no longer mark sent, reschedule or fail a delivery another worker has claimed since.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.string('claim_token', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.dropColumn('claim_token');
  });
}
