import type { Knex } from 'knex';

/**
 * Erasure of personal data: a log of every erasure (who ran it, what kind, when, how many rows
 * changed; the subject only as a hash, so a repeated request is recognised without keeping the
 * address), and the moment a finished request's free text was erased under DATA_RETENTION_DAYS.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('erasures', (t) => {
    t.increments('id');
    /** contact, slack_user or retention. */
    t.string('kind', 20).notNullable();
    /** SHA-256 (hex) of the lowercased email or the Slack user id; null for a retention pass. */
    t.string('subject_hash', 64).nullable();
    t.string('erased_by', 100).notNullable();
    t.string('erased_at', 30).notNullable();
    t.integer('rows_changed').notNullable();
    t.index(['kind', 'subject_hash']);
  });
  await knex.schema.alterTable('reference_requests', (t) => {
    t.string('personal_data_erased_at', 30).nullable();
    // The retention pass looks for finished requests not yet erased, oldest change first.
    t.index(['personal_data_erased_at', 'updated_at'], 'reference_requests_retention');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reference_requests', (t) => {
    t.dropIndex(['personal_data_erased_at', 'updated_at'], 'reference_requests_retention');
    t.dropColumn('personal_data_erased_at');
  });
  await knex.schema.dropTableIfExists('erasures');
}
