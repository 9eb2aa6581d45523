import type { Knex } from 'knex';

/**
 * Only a paused contact has a pause end and reason. The CSV import used to leave them behind when it
 * set another status; now that the export writes them, such leftovers would not import again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex('contacts')
    .whereNot({ status: 'paused' })
    .where((w) => w.whereNotNull('paused_until').orWhereNotNull('pause_reason'))
    .update({ paused_until: null, pause_reason: null });
}

/** Nothing to restore: the values cleared meant nothing. */
export async function down(): Promise<void> {}
