import { describe, expect, it } from 'vitest';
import { contactForm, contactsHome } from '../../../src/slack/blocks/directory-views.ts';
import { assertModalWithinLimits } from './block-kit-limits.ts';

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
});
