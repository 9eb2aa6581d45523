import type { Knex } from 'knex';

/**
 * Matching and program rules: contact pauses, overrides and ratings on asks, a normalized
 * prospect for collision checks, nominations, and revision counters that tell every
 * replica's in-memory directory index when to reload.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contacts', (t) => {
    t.string('paused_until', 10).nullable();
    t.text('pause_reason').nullable();
    t.index(['updated_at']);
  });
  await knex.schema.alterTable('accounts', (t) => {
    t.index(['updated_at']);
  });
  await knex.schema.alterTable('reference_asks', (t) => {
    t.text('override_reason').nullable();
    t.integer('rating').nullable();
    t.string('rated_at', 30).nullable().index();
    t.index(['approved_at']);
  });
  await knex.schema.alterTable('reference_requests', (t) => {
    t.string('prospect_key', 100).nullable().index();
    t.index(['updated_at']);
  });
  const requests = (await knex('reference_requests').select('id', 'prospect')) as {
    id: number;
    prospect: string;
  }[];
  for (const r of requests) {
    await knex('reference_requests')
      .where({ id: r.id })
      .update({ prospect_key: r.prospect.trim().toLowerCase() });
  }
  await knex.schema.createTable('refdesk_revisions', (t) => {
    t.string('name', 30).primary();
    t.bigInteger('value').notNullable().defaultTo(0);
  });
  await knex('refdesk_revisions').insert([
    { name: 'directory', value: 1 },
    { name: 'usage', value: 1 },
    { name: 'ratings', value: 1 },
  ]);
  await knex.schema.createTable('nominations', (t) => {
    t.increments('id');
    t.string('nominated_by', 32).notNullable();
    /** The proposed contact and account, as a directory entry (JSON). */
    t.text('entry').notNullable();
    t.text('why').notNullable();
    t.string('status', 10).notNullable().defaultTo('pending').index();
    t.string('decided_by', 32).nullable();
    t.string('decided_at', 30).nullable();
    t.text('decision_reason').nullable();
    t.integer('contact_id').unsigned().nullable().references('contacts.id');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('nominations');
  await knex.schema.dropTableIfExists('refdesk_revisions');
  await knex.schema.alterTable('reference_requests', (t) => {
    t.dropIndex(['updated_at']);
    t.dropIndex(['prospect_key']);
    t.dropColumn('prospect_key');
  });
  await knex.schema.alterTable('reference_asks', (t) => {
    t.dropIndex(['approved_at']);
    t.dropIndex(['rated_at']);
    t.dropColumn('rated_at');
    t.dropColumn('rating');
    t.dropColumn('override_reason');
  });
  await knex.schema.alterTable('accounts', (t) => {
    t.dropIndex(['updated_at']);
  });
  await knex.schema.alterTable('contacts', (t) => {
    t.dropIndex(['updated_at']);
    t.dropColumn('pause_reason');
    t.dropColumn('paused_until');
  });
}
