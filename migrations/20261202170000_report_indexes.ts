import type { Knex } from 'knex';

/**
 * The program report reads each period by a time column: requests by when they were submitted and
 * when they were needed by, asks by when their owner answered, outcomes by when they and their deal
 * were recorded. Without these, every report table scanned its whole table.
 */
const INDEXES: [table: string, column: string, name: string][] = [
  ['reference_requests', 'created_at', 'reference_requests_created'],
  ['reference_requests', 'needed_by', 'reference_requests_needed_by'],
  ['reference_asks', 'answered_at', 'reference_asks_answered'],
  ['reference_outcomes', 'recorded_at', 'reference_outcomes_recorded'],
  ['reference_outcomes', 'deal_recorded_at', 'reference_outcomes_deal_recorded'],
];

export async function up(knex: Knex): Promise<void> {
  for (const [table, column, name] of INDEXES) {
    await knex.schema.alterTable(table, (t) => {
      t.index([column], name);
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, column, name] of INDEXES) {
    await knex.schema.alterTable(table, (t) => {
      t.dropIndex([column], name);
    });
  }
}
