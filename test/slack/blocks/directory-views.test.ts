import type { InputBlock, PlainTextInput } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { COLUMN_MAX_LENGTH, parseDirectoryEntry } from '../../../src/domain/directory-entry.ts';
import { contactForm, contactsHome } from '../../../src/slack/blocks/directory-views.ts';
import { longestProducts } from '../../domain/directory-fixtures.ts';
import { assertModalWithinLimits } from './block-kit-limits.ts';

const EDIT = { mode: 'edit', contactId: 1, nominationId: null } as const;
const textInputs = (view: ReturnType<typeof contactForm>) =>
  (view.blocks as InputBlock[]).flatMap((b) =>
    b.element.type === 'plain_text_input'
      ? [{ block: b.block_id, element: b.element as PlainTextInput }]
      : [],
  );

describe('the directory views', () => {
  it('opens /reference contacts with a submit, as Slack requires of a modal with an input', () => {
    const view = contactsHome();
    assertModalWithinLimits(view);
    expect(view.submit?.text).toBe('Done');
    // "Done" must close the modal without a contact picked.
    expect(view.blocks[0]).toMatchObject({ type: 'input', optional: true, dispatch_action: true });
  });

  it.each(['add', 'edit', 'nominate', 'accept'] as const)('builds the %s form within limits', (mode) => {
    assertModalWithinLimits(contactForm(mode, null, { mode, contactId: null, nominationId: null }));
  });

  it('lets each text column of the contact form hold as much as the import takes', () => {
    const inputs = textInputs(contactForm('edit', null, EDIT));
    expect(inputs.map((i) => i.block)).toContain('products');
    for (const { block, element } of inputs) {
      expect([block, element.max_length]).toEqual([
        block,
        COLUMN_MAX_LENGTH[block as keyof typeof COLUMN_MAX_LENGTH],
      ]);
    }
  });

  it('edits a contact with the longest products list the import takes', () => {
    const products = longestProducts();
    const row = {
      account: 'Acme Health',
      company_size: 'Enterprise',
      owner: 'U0OWNER1',
      contact_email: 'jane@acme.example',
    };
    const imported = parseDirectoryEntry({ ...row, products: products.join(';') });
    if (!imported.ok) throw new Error(JSON.stringify(imported.issues));
    const view = contactForm('edit', imported.entry, EDIT);
    assertModalWithinLimits(view);
    const field = textInputs(view).find((i) => i.block === 'products')!.element;
    expect(field.initial_value).toHaveLength(field.max_length!);
    // What the form sends back reads as the very same list.
    const saved = parseDirectoryEntry({ ...row, products: field.initial_value });
    expect(saved.ok && saved.entry.products).toEqual(products);
  });
});
