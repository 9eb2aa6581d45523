import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/domain/request-draft';
import {
  approveModal,
  decisionMetadataSchema,
  denyModal,
  noticeModal,
} from '../../../src/slack/blocks/decision-modals';
import { APPROVE_FIELDS, DENY_FIELDS, VIEWS } from '../../../src/slack/ids';
import { parseJson } from '../../../src/slack/payloads';
import { assertModalWithinLimits, mrkdwnStrings } from './block-kit-limits';
import { rawMarkupIn, realistic, worst } from './request-details';

const inputs = (view: { blocks: { type: string }[] }) =>
  view.blocks.filter(
    (b): b is { type: 'input'; block_id: string; element: Record<string, unknown> } => b.type === 'input',
  );

describe.each([
  ['approveModal', approveModal, VIEWS.approve, 'Approve REF-12'],
  ['denyModal', denyModal, VIEWS.deny, 'Deny REF-12'],
] as const)('%s', (_name, build, callbackId, title) => {
  it('fits Block Kit with realistic values', () => {
    assertModalWithinLimits(build(realistic('submitted')));
  });

  it('fits Block Kit with every text at its limit', () => {
    assertModalWithinLimits(build(worst('submitted')));
    assertModalWithinLimits(build(worst('submitted', 'declined')));
  });

  it('escapes user text in its summary', () => {
    expect(rawMarkupIn(mrkdwnStrings(build(worst('submitted'))))).toEqual([]);
  });

  it('remembers the request id as JSON in private_metadata', () => {
    for (const details of [realistic('submitted'), worst('submitted')]) {
      const view = build(details);
      expect(JSON.parse(view.private_metadata!)).toEqual({ requestId: details.request.id });
      expect(parseJson(decisionMetadataSchema, view.private_metadata)).toEqual({
        requestId: details.request.id,
      });
    }
  });

  it('is identified by its callback id and titled with the ref', () => {
    const view = build(realistic('submitted'));
    expect(view.callback_id).toBe(callbackId);
    expect(view.title.text).toBe(title);
  });

  it('summarises the request with its context', () => {
    const text = mrkdwnStrings(build(realistic('submitted'))).join('\n');
    expect(text).toContain('*REF-12* · Reference call for *Globex Corp*');
    expect(text).toContain('>They worry about migrating');
  });
});

describe('approveModal', () => {
  it('asks for a contact and an optional note of at most LIMITS.note characters', () => {
    const [contact, note] = inputs(approveModal(realistic('submitted')));
    expect(contact).toMatchObject({
      block_id: APPROVE_FIELDS.contact.block,
      optional: false,
      element: { type: 'external_select', action_id: APPROVE_FIELDS.contact.action },
    });
    expect(note).toMatchObject({
      block_id: APPROVE_FIELDS.note.block,
      optional: true,
      element: { type: 'plain_text_input', action_id: APPROVE_FIELDS.note.action, max_length: LIMITS.note },
    });
  });

  it('starts with the preferred contact when they are active', () => {
    const [contact] = inputs(approveModal(realistic('submitted')));
    expect(contact!.element.initial_option).toEqual({
      text: { type: 'plain_text', text: 'Jane Doe, Acme Health', emoji: true },
      value: '7',
      description: { type: 'plain_text', text: 'CFO' },
    });
  });

  it('starts empty when the preferred contact is paused or absent', () => {
    const details = realistic('submitted');
    const paused = { ...details, preferred: { ...details.preferred!, status: 'paused' as const } };
    expect(inputs(approveModal(paused))[0]!.element.initial_option).toBeUndefined();
    expect(inputs(approveModal({ ...details, preferred: null }))[0]!.element.initial_option).toBeUndefined();
  });
});

describe('denyModal', () => {
  it('asks for a required reason of at most LIMITS.reason characters', () => {
    const [reason] = inputs(denyModal(realistic('submitted')));
    expect(reason).toMatchObject({
      block_id: DENY_FIELDS.reason.block,
      optional: false,
      element: { type: 'plain_text_input', action_id: DENY_FIELDS.reason.action, max_length: LIMITS.reason },
    });
  });
});

describe('noticeModal', () => {
  it('fits Block Kit even with a long title', () => {
    const view = noticeModal('Somebody else already decided this one', 'REF-12 was approved by <@U0MGR>.');
    assertModalWithinLimits(view);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.submit).toBeUndefined();
    expect(view.close?.text).toBe('Close');
  });
});
