import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import { formatDay } from '../../domain/dates.ts';
import { COLUMN_MAX_LENGTH, type DirectoryEntry, productsText } from '../../domain/directory-entry.ts';
import { agoText, daysBetween } from '../../domain/program-rules.ts';
import { contactName, requestRef } from '../../domain/reference.ts';
import { LIMITS } from '../../domain/request-draft.ts';
import { ACTIVITIES, activityLabel, SENIORITIES, seniorityLabel } from '../../domain/vocabulary.ts';
import type { ContactPage } from '../../services/directory-service.ts';
import { ACTIONS, DIRECTORY_SEARCH, VIEWS } from '../ids.ts';
import { escapeText, mention, quote } from '../mrkdwn.ts';
import { actions, button, context, fields, input, LIMIT, option, plain, section } from './kit.ts';

export type ContactFormMode = 'add' | 'edit' | 'nominate' | 'accept';

/** What the contact form remembers: why it is open, and for which contact or nomination. */
export const contactFormMetadataSchema = z.object({
  mode: z.enum(['add', 'edit', 'nominate', 'accept']),
  contactId: z.number().int().positive().nullable(),
  nominationId: z.number().int().positive().nullable(),
  /** The recruiting drive a nomination answers (an owner's "Nominate a contact"). */
  driveId: z.number().int().positive().nullable().default(null),
});
export type ContactFormMetadata = z.infer<typeof contactFormMetadataSchema>;

export const contactMetadataSchema = z.object({ contactId: z.number().int().positive() });

/** The form's inputs are named after the CSV columns, so one validation serves the import and Slack. */
export const FORM_ACTION = (column: string) => `${column}_input`;
export const WHY = { block: 'why', action: 'why_input' } as const;
export const PAUSE_FIELDS = {
  until: { block: 'until', action: 'until_date' },
  reason: { block: 'reason', action: 'reason_input' },
} as const;

const TITLES: Record<ContactFormMode, { title: string; submit: string }> = {
  add: { title: 'Add a contact', submit: 'Add' },
  edit: { title: 'Edit contact', submit: 'Save' },
  nominate: { title: 'Nominate a reference', submit: 'Nominate' },
  accept: { title: 'Accept nomination', submit: 'Add to directory' },
};

const initialText = (value: string | null | undefined) => (value ? { initial_value: value } : {});

/** A text column: it takes as much as the import does, so any imported value can be edited. */
function text(
  column: keyof typeof COLUMN_MAX_LENGTH,
  label: string,
  value: string | null | undefined,
  opts: { optional?: boolean; multiline?: boolean; hint?: string } = {},
) {
  return input(
    column,
    label,
    {
      type: 'plain_text_input',
      action_id: FORM_ACTION(column),
      max_length: COLUMN_MAX_LENGTH[column],
      ...(opts.multiline ? { multiline: true } : {}),
      ...initialText(value),
    },
    { optional: opts.optional ?? true, ...(opts.hint ? { hint: opts.hint } : {}) },
  );
}

/** Add, edit, nominate or accept: one form with the import's columns. */
export function contactForm(
  mode: ContactFormMode,
  entry: Partial<DirectoryEntry> | null,
  meta: z.input<typeof contactFormMetadataSchema>,
): ModalView {
  const e = entry ?? {};
  const seniorities = Object.entries(SENIORITIES).map(([v, t]) => option(t, v));
  const activities = Object.entries(ACTIVITIES).map(([v, t]) => option(t, v));
  const seniority = seniorities.find((o) => o.value === e.seniority);
  const chosenActivities = activities.filter((o) => (e.activities ?? []).includes(o.value as never));
  const blocks: KnownBlock[] = [
    text('account', 'Account (customer)', e.account, { optional: false }),
    text('account_id', 'Account id (e.g. CRM id)', e.accountId),
    text('industry', 'Industry', e.industry),
    text('region', 'Region', e.region),
    text('company_size', 'Company size', e.companySize, {
      optional: false,
      hint: 'e.g. 1000-4999 or Enterprise',
    }),
    text('products', 'Products they use', productsText(e.products ?? []), { hint: 'Separate with ;' }),
    input('owner', 'Account owner', {
      type: 'users_select',
      action_id: FORM_ACTION('owner'),
      ...(e.owner ? { initial_user: e.owner } : {}),
    }),
    text('contact_name', 'Contact name', e.contactName),
    text('contact_email', 'Contact email', e.contactEmail, {
      optional: false,
      hint: 'Reps only see it once the contact agreed.',
    }),
    text('title', 'Title', e.title),
    input(
      'seniority',
      'Seniority',
      {
        type: 'static_select',
        action_id: FORM_ACTION('seniority'),
        options: seniorities,
        ...(seniority ? { initial_option: seniority } : {}),
      },
      { optional: true },
    ),
    input(
      'activities',
      'Activities they agreed to',
      {
        type: 'checkboxes',
        action_id: FORM_ACTION('activities'),
        options: activities,
        ...(chosenActivities.length ? { initial_options: chosenActivities } : {}),
      },
      { optional: true },
    ),
    input(
      'customer_since',
      'Customer since',
      {
        type: 'datepicker',
        action_id: FORM_ACTION('customer_since'),
        ...(e.customerSince ? { initial_date: e.customerSince } : {}),
      },
      { optional: true },
    ),
    text('notes', 'Notes', e.notes, { multiline: true }),
  ];
  if (mode === 'nominate') {
    blocks.push(
      input(WHY.block, 'Why would they be a good reference?', {
        type: 'plain_text_input',
        action_id: WHY.action,
        multiline: true,
        max_length: LIMITS.context,
      }),
    );
  }
  return {
    type: 'modal',
    callback_id: VIEWS.contactForm,
    title: plain(TITLES[mode].title, LIMIT.modalTitle),
    submit: plain(TITLES[mode].submit, LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    private_metadata: JSON.stringify({
      ...meta,
      driveId: meta.driveId ?? null,
    } satisfies ContactFormMetadata),
    blocks,
  };
}

/**
 * `/reference contacts`: find a contact, or add one. Slack refuses a modal with an input and no
 * submit; picking a contact already opens their page, so "Done" just closes (the search is optional).
 */
export function contactsHome(): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.contactsHome,
    title: plain('Reference contacts', LIMIT.modalTitle),
    submit: plain('Done', LIMIT.modalTitle),
    close: plain('Close', LIMIT.modalTitle),
    blocks: [
      {
        ...input(
          'search',
          'Find a contact',
          {
            type: 'external_select',
            action_id: DIRECTORY_SEARCH,
            min_query_length: 0,
            placeholder: plain('Search by person or account'),
          },
          { optional: true },
        ),
        dispatch_action: true,
      },
      actions('directory', [button('Add a contact', ACTIONS.addContact, {})]),
      context('Paused and retired contacts are listed too.'),
    ],
  };
}

/** A contact as the directory's typeahead shows them, with their status when not active. */
export function directoryOption(c: {
  id: number;
  name: string | null;
  accountName: string;
  status: string;
}): PlainTextOption {
  const status = c.status === 'active' ? '' : ` (${c.status})`;
  return option(`${c.name ?? 'Unnamed contact'}, ${c.accountName}${status}`, String(c.id));
}

function statusLine(page: ContactPage): string {
  const c = page.contact;
  if (c.status === 'paused') {
    const until = c.pausedUntil ? ` until ${formatDay(c.pausedUntil)}` : '';
    return `:double_vertical_bar: Paused${until}${c.pauseReason ? `: ${escapeText(c.pauseReason)}` : ''}`;
  }
  return c.status === 'retired' ? ':no_entry_sign: Retired' : ':large_green_circle: Active';
}

function usageLine(page: ContactPage, now: Date): string {
  const u = page.usage;
  const parts = [
    `Asked ${u.asksInWindow === 1 ? 'once' : `${u.asksInWindow} times`} in the last ${page.windowDays} days`,
  ];
  if (u.lastAskedAt) parts.push(`last asked ${agoText(daysBetween(u.lastAskedAt, now))}`);
  parts.push(u.openAsks === 0 ? 'no open ask' : `${u.openAsks} open ask${u.openAsks === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/** A contact's page: profile, usage, history of asks, and what a manager can do. */
export function contactPage(page: ContactPage, now: Date): ModalView {
  const c = page.contact;
  const value = { contactId: c.id };
  const buttons = [button('Edit', ACTIONS.editContact, value)];
  if (c.status === 'active') buttons.push(button('Pause', ACTIONS.pauseContact, value));
  if (c.status === 'paused') buttons.push(button('Resume', ACTIONS.resumeContact, value, 'primary'));
  if (c.status !== 'retired') {
    buttons.push({
      ...button('Retire', ACTIONS.retireContact, value, 'danger'),
      confirm: {
        title: plain('Retire this contact?'),
        text: plain(`${contactName(c)} will no longer be suggested or approved.`),
        confirm: plain('Retire'),
        deny: plain('Cancel'),
      },
    });
  } else buttons.push(button('Make active again', ACTIONS.resumeContact, value));
  const history = page.history.map(
    (h) =>
      `• *${requestRef(h.requestId)}* · ${escapeText(h.prospect)} · ${activityLabel(h.activity)} · approved ${formatDay(h.approvedAt.slice(0, 10))}` +
      ` · ${h.answer ? h.answer.replace('_', ' ') : h.requestStatus.replace('_', ' ')}${h.overridden ? ' · _override_' : ''}`,
  );
  return {
    type: 'modal',
    callback_id: VIEWS.contactPage,
    title: plain('Reference contact', LIMIT.modalTitle),
    close: plain('Back', LIMIT.modalTitle),
    private_metadata: JSON.stringify(value),
    blocks: [
      section(
        `*${escapeText(contactName(c))}*${c.title ? `, ${escapeText(c.title)}` : ''} · ${escapeText(c.account.name)}\n${statusLine(page)}`,
      ),
      fields([
        ['Email', escapeText(c.email)],
        ['Account owner', mention(c.account.ownerId)],
        ['Industry', c.account.industry ? escapeText(c.account.industry) : null],
        ['Region', c.account.region ? escapeText(c.account.region) : null],
        ['Company size', escapeText(c.account.companySize)],
        ['Products', c.account.products.length ? escapeText(c.account.products.join(', ')) : null],
        ['Seniority', c.seniority ? seniorityLabel(c.seniority) : null],
        ['Activities', c.activities.length ? c.activities.map(activityLabel).join(', ') : 'none yet'],
        ['Customer since', c.customerSince ? formatDay(c.customerSince) : null],
      ]),
      ...(c.notes ? [section(`*Notes*\n${quote(c.notes)}`)] : []),
      section(`*Usage:* ${usageLine(page, now)}`),
      section(history.length ? `*Asks*\n${history.join('\n')}` : '*Asks:* none yet'),
      actions('contact_actions', buttons),
    ],
  };
}

/** Pause a contact until a date, with a reason. */
export function pauseModal(page: ContactPage): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.pauseContact,
    title: plain('Pause contact', LIMIT.modalTitle),
    submit: plain('Pause', LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    private_metadata: JSON.stringify({ contactId: page.contact.id }),
    blocks: [
      section(
        `*${escapeText(contactName(page.contact))}* · ${escapeText(page.contact.account.name)} will not be suggested or asked until then.`,
      ),
      input(PAUSE_FIELDS.until.block, 'Paused until', {
        type: 'datepicker',
        action_id: PAUSE_FIELDS.until.action,
      }),
      input(PAUSE_FIELDS.reason.block, 'Why', {
        type: 'plain_text_input',
        action_id: PAUSE_FIELDS.reason.action,
        max_length: COLUMN_MAX_LENGTH.pause_reason,
        placeholder: plain('e.g. open P1 ticket, renewal in progress'),
      }),
    ],
  };
}
