import type { Knex } from 'knex';

/**
 * The contacts each request's card suggests (its top 3 and the preferred contact), so a change
 * that makes one of them ineligible can refresh the cards that show them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('card_contacts', (t) => {
    t.integer('request_id').notNullable().references('id').inTable('reference_requests').onDelete('CASCADE');
    t.integer('contact_id').notNullable();
    t.primary(['request_id', 'contact_id']);
    t.index(['contact_id'], 'card_contacts_contact');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('card_contacts');
}
