import type { PlainTextOption } from '@slack/types';
import type { Suggestion } from '../../domain/matching.ts';
import type { ContactProfile } from '../../domain/reference.ts';
import { truncate } from '../mrkdwn.ts';
import { LIMIT, option } from './kit.ts';

/** What a typeahead needs to show a contact. */
export interface OptionContact {
  id: number;
  name: string | null;
  title: string | null;
  accountName: string;
}

/** "Jane Doe, Acme · CFO": how a contact shows in every typeahead (select options have no description line). */
export function contactOption(contact: OptionContact, note?: string): PlainTextOption {
  const title = contact.title ? ` · ${contact.title}` : '';
  // The note matters more than the end of a long name: cut the name, keep the note.
  const suffix = note ? ` (${note})` : '';
  const base = truncate(
    `${contact.name ?? 'Unnamed contact'}, ${contact.accountName}${title}`,
    LIMIT.optionText - suffix.length,
  );
  return option(`${base}${suffix}`, String(contact.id));
}

/** A ranked contact in a typeahead: the ones a manager would have to override are marked. */
export function suggestionOption(s: Suggestion): PlainTextOption {
  let note: string | undefined;
  if (s.violations.length > 0) note = 'over the program limits';
  else if (!s.eligible) note = s.warnings.find((w) => w.startsWith('has not agreed')) ?? 'not available';
  return contactOption(s.contact, note);
}

/** A contact with its account, as an option. */
export const profileOption = (p: ContactProfile): PlainTextOption =>
  contactOption({ id: p.id, name: p.name, title: p.title, accountName: p.account.name });
