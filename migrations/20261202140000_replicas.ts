import type { Knex } from 'knex';

/**
 * What several replicas on one database need:
 * - `periodic_runs`: a ticket per periodic job, so each tick runs on one replica only;
 * - a `revision` on accounts and contacts, stamped from the directory counter in the writing
 *   transaction: the in-memory index reloads "rows with a revision above the last one seen",
 *   which is right whatever order transactions commit in and whatever the writers' clocks say;
 * - a `managers` counter, bumped when the managers' channel changes, so every replica drops its
 *   cached list of managers;
 * - an index to prune sent outbox rows by age.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('periodic_runs', (t) => {
    t.string('name', 40).primary();
    t.string('last_run_at', 30).notNullable();
  });
  for (const table of ['accounts', 'contacts']) {
    await knex.schema.alterTable(table, (t) => {
      t.bigInteger('revision').notNullable().defaultTo(0);
      t.index(['revision'], `${table}_revision`);
    });
  }
  await knex('refdesk_revisions').insert({ name: 'managers', value: 1 });
  await knex.schema.alterTable('outbox', (t) => {
    t.index(['status', 'sent_at'], 'outbox_status_sent_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.dropIndex(['status', 'sent_at'], 'outbox_status_sent_at');
  });
  await knex('refdesk_revisions').where({ name: 'managers' }).delete();
  for (const table of ['contacts', 'accounts']) {
    await knex.schema.alterTable(table, (t) => {
      t.dropIndex(['revision'], `${table}_revision`);
      t.dropColumn('revision');
    });
  }
  await knex.schema.dropTableIfExists('periodic_runs');
}
