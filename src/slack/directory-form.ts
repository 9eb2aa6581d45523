import { DIRECTORY_COLUMNS, type DirectoryColumn } from '../domain/directory-entry.ts';
import { FORM_ACTION } from './blocks/directory-views.ts';
import { fieldValue, fieldValues, type ViewState } from './payloads.ts';

/** The contact form's values keyed by CSV column, ready for the import's validation. */
export function readContactForm(state: ViewState): Partial<Record<DirectoryColumn, string>> {
  const row: Partial<Record<DirectoryColumn, string>> = {};
  for (const column of DIRECTORY_COLUMNS) {
    const id = { block: column, action: FORM_ACTION(column) };
    const value = column === 'activities' ? fieldValues(state, id).join(';') : fieldValue(state, id);
    if (value !== null) row[column] = value;
  }
  return row;
}
