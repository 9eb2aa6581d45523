import type { Knex } from 'knex';

/**
 * The outbox says what kind of notification each row holds, so "is a Home refresh already
 * waiting?" is an indexed lookup instead of a match on JSON text.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.string('kind', 64).nullable();
  });
  const rows = (await knex('outbox').select('id', 'notification')) as { id: number; notification: string }[];
  for (const row of rows) {
    const kind = (JSON.parse(row.notification) as { type?: string }).type ?? null;
    await knex('outbox').where({ id: row.id }).update({ kind });
  }
  await knex.schema.alterTable('outbox', (t) => {
    t.index(['kind', 'status'], 'outbox_kind_status');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.dropIndex(['kind', 'status'], 'outbox_kind_status');
    t.dropColumn('kind');
  });
}
