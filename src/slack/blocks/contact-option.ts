import type { PlainTextOption } from '@slack/types';
import { type ContactProfile, contactName } from '../../domain/reference';
import { option } from './kit';

/** "Jane Doe, Acme" with the title as description: how a contact shows in every typeahead. */
export function contactOption(contact: ContactProfile): PlainTextOption {
  const base = option(`${contactName(contact)}, ${contact.account.name}`, String(contact.id));
  return contact.title
    ? { ...base, description: { type: 'plain_text', text: contact.title.slice(0, 75) } }
    : base;
}
