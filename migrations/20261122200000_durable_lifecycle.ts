import type { Knex } from 'knex';

/**
 * The durable lifecycle: owner reminders and escalation, follow-ups and outcomes, events
 * already handled, and who looks at their App Home. All timing lives in these rows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reference_asks', (t) => {
    t.integer('reminders_sent').notNullable().defaultTo(0);
    t.string('last_reminded_at', 30).nullable();
    /** "Remind me in 2 days": no reminder before this moment. */
    t.string('remind_after', 30).nullable();
    t.string('escalated_at', 30).nullable();
  });
  await knex.schema.alterTable('reference_requests', (t) => {
    /** When to ask the rep "Did it happen?" (YYYY-MM-DD); null means the business day after needed-by. */
    t.string('followup_on', 10).nullable();
    t.string('followup_sent_at', 30).nullable();
    t.index(['status', 'needed_by']);
  });
  await knex.schema.createTable('reference_outcomes', (t) => {
    t.integer('request_id').unsigned().primary().references('reference_requests.id');
    t.integer('ask_id').unsigned().notNullable().references('reference_asks.id');
    t.integer('contact_id').unsigned().notNullable().references('contacts.id').index();
    t.boolean('happened').notNullable();
    t.integer('rating').nullable();
    t.text('helped').nullable();
    /** yes, no or too_early. */
    t.string('moved_deal', 10).nullable();
    t.text('why_not').nullable();
    /** won or lost, recorded later by the rep. */
    t.string('deal_result', 10).nullable();
    t.double('deal_amount').nullable();
    t.string('recorded_by', 32).notNullable();
    t.string('recorded_at', 30).notNullable();
    t.string('deal_recorded_at', 30).nullable();
  });
  await knex.schema.createTable('processed_events', (t) => {
    t.string('event_id', 64).primary();
    t.string('received_at', 30).notNullable().index();
  });
  await knex.schema.createTable('home_views', (t) => {
    t.string('user_id', 32).primary();
    t.string('opened_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('home_views');
  await knex.schema.dropTableIfExists('processed_events');
  await knex.schema.dropTableIfExists('reference_outcomes');
  await knex.schema.alterTable('reference_requests', (t) => {
    t.dropIndex(['status', 'needed_by']);
    t.dropColumn('followup_sent_at');
    t.dropColumn('followup_on');
  });
  await knex.schema.alterTable('reference_asks', (t) => {
    t.dropColumn('escalated_at');
    t.dropColumn('remind_after');
    t.dropColumn('last_reminded_at');
    t.dropColumn('reminders_sent');
  });
}
