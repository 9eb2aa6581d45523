import type { Knex } from 'knex';

/**
 * Covering indexes for the coverage gaps, led by what each query filters on, so SQLite reads the index alone
 * and, for the pipeline, meets its grains in order. Measured on the bench (100,000 contacts, 50,000
 * opportunities, 2-core machine): contacts per account 0.16 -> 0.14 s, their activities 0.125 -> 0.107 s,
 * the pipeline by grain 60 -> 15 ms; programGaps about 8% faster.
 */
const INDEXES: [table: string, columns: string[], name: string][] = [
  ['contacts', ['status', 'account_id', 'seniority'], 'contacts_gaps'],
  [
    'opportunities',
    ['removed_at', 'industry', 'region', 'company_size', 'status', 'created_on', 'amount'],
    'opportunities_gaps',
  ],
];

export async function up(knex: Knex): Promise<void> {
  for (const [table, columns, name] of INDEXES) {
    await knex.schema.alterTable(table, (t) => {
      t.index(columns, name);
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, columns, name] of INDEXES) {
    await knex.schema.alterTable(table, (t) => {
      t.dropIndex(columns, name);
    });
  }
}
