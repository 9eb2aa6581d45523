import type { Knex } from 'knex';

/**
 * "How many open asks does this contact have", read inside every approval, goes from the contact's
 * asks to their requests: 11 ms at 100,000 requests as a scan of every open request, an index
 * lookup per ask with this index (`npm run bench -- explain`).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reference_requests', (t) => {
    t.index(['current_ask_id'], 'reference_requests_current_ask');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reference_requests', (t) => {
    t.dropIndex(['current_ask_id'], 'reference_requests_current_ask');
  });
}
