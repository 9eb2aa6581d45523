import type { Knex } from 'knex';

/** The directory (accounts, contacts), reference requests with their asks and history, and the outbox. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (t) => {
    t.increments('id');
    // external_id when the CSV gives one, otherwise "name:" + lowercased name.
    t.string('account_key', 210).notNullable().unique();
    t.string('external_id', 100).nullable();
    t.string('name', 200).notNullable();
    t.string('industry', 75).nullable().index();
    t.string('region', 75).nullable().index();
    t.string('company_size', 75).notNullable().index();
    t.string('owner_id', 32).notNullable().index();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });
  await knex.schema.createTable('account_products', (t) => {
    t.integer('account_id').unsigned().notNullable().references('accounts.id').onDelete('CASCADE');
    t.string('product', 75).notNullable();
    t.primary(['account_id', 'product']);
    t.index(['product', 'account_id']);
  });
  await knex.schema.createTable('contacts', (t) => {
    t.increments('id');
    t.integer('account_id').unsigned().notNullable().references('accounts.id').index();
    t.string('email', 254).notNullable().unique();
    t.string('name', 200).nullable();
    t.string('title', 200).nullable();
    t.string('seniority', 20).nullable();
    t.string('customer_since', 10).nullable();
    t.string('status', 10).notNullable().defaultTo('active').index();
    t.text('notes').nullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });
  await knex.schema.createTable('contact_activities', (t) => {
    t.integer('contact_id').unsigned().notNullable().references('contacts.id').onDelete('CASCADE');
    t.string('activity', 30).notNullable();
    t.primary(['contact_id', 'activity']);
    t.index(['activity', 'contact_id']);
  });
  await knex.schema.createTable('reference_requests', (t) => {
    t.increments('id');
    t.string('requester_id', 32).notNullable();
    t.string('prospect', 100).notNullable();
    t.string('opportunity', 100).nullable();
    t.double('amount').nullable();
    t.string('industry', 75).nullable();
    t.text('products').notNullable().defaultTo('[]');
    t.string('region', 75).nullable();
    t.string('company_size', 75).nullable();
    t.string('seniority', 20).nullable();
    t.string('activity', 30).notNullable();
    t.string('needed_by', 10).notNullable();
    t.text('context').notNullable();
    t.integer('preferred_contact_id').unsigned().nullable().references('contacts.id');
    t.string('status', 20).notNullable().index();
    t.integer('current_ask_id').unsigned().nullable();
    t.string('closed_by', 32).nullable();
    t.string('closed_at', 30).nullable();
    t.text('close_reason').nullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['requester_id', 'created_at']);
  });
  await knex.schema.createTable('reference_asks', (t) => {
    t.increments('id');
    t.integer('request_id').unsigned().notNullable().references('reference_requests.id');
    t.integer('contact_id').unsigned().notNullable().references('contacts.id');
    t.string('owner_id', 32).notNullable();
    t.integer('round').notNullable();
    t.string('approved_by', 32).notNullable();
    t.string('approved_at', 30).notNullable();
    t.text('note').nullable();
    t.string('answer', 20).nullable();
    t.string('answered_by', 32).nullable();
    t.string('answered_at', 30).nullable();
    t.unique(['request_id', 'round']);
    t.index(['contact_id', 'approved_at']);
  });
  await knex.schema.createTable('request_history', (t) => {
    t.increments('id');
    t.integer('request_id').unsigned().notNullable().references('reference_requests.id').index();
    t.string('at', 30).notNullable();
    t.string('actor_id', 32).notNullable();
    t.string('action', 30).notNullable();
    t.string('from_status', 20).nullable();
    t.string('to_status', 20).notNullable();
    t.text('reason').nullable();
  });
  await knex.schema.createTable('outbox', (t) => {
    t.increments('id');
    // Deliveries to one conversation (a user's DM, or the managers' channel) go out in id order.
    t.string('conversation', 40).notNullable();
    t.text('notification').notNullable();
    t.string('status', 10).notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 30).notNullable();
    t.string('locked_until', 30).nullable();
    t.text('last_error').nullable();
    t.string('created_at', 30).notNullable();
    t.string('sent_at', 30).nullable();
    t.index(['status', 'next_attempt_at']);
    t.index(['conversation', 'status', 'id']);
  });
  await knex.schema.createTable('message_refs', (t) => {
    // e.g. "card:12" -> the channel and ts of request 12's card, so it can be updated in place.
    t.string('key', 60).primary();
    t.string('channel', 32).notNullable();
    t.string('ts', 32).notNullable();
    t.string('updated_at', 30).notNullable();
  });
  await knex.schema.createTable('slack_users', (t) => {
    t.string('id', 32).primary();
    t.string('tz', 64).nullable();
    t.string('fetched_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'slack_users',
    'message_refs',
    'outbox',
    'request_history',
    'reference_asks',
    'reference_requests',
    'contact_activities',
    'contacts',
    'account_products',
    'accounts',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
