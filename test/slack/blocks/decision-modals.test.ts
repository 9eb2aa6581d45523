import type { ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/domain/request-draft.ts';
import type { RequestDetails } from '../../../src/services/requests/index.ts';
import {
  type ApproveModalOptions,
  approveModal,
  decisionMetadataSchema,
  denyModal,
  noticeModal,
} from '../../../src/slack/blocks/decision-modals.ts';
import { ACTIONS, APPROVE_FIELDS, DENY_FIELDS, VIEWS } from '../../../src/slack/ids.ts';
import { parseJson } from '../../../src/slack/payloads.ts';
import { assertModalWithinLimits, buttons, mrkdwnStrings } from './block-kit-limits.ts';
import {
  janeSuggestion,
  matcherWorst,
  rajSuggestion,
  realisticMatches,
  worstMatches,
  worstSuggestion,
} from './match-results.ts';
import { rawMarkupIn, realistic, worst } from './request-details.ts';

const inputs = (view: { blocks: { type: string }[] }) =>
  view.blocks.filter(
    (b): b is { type: 'input'; block_id: string; element: Record<string, unknown> } => b.type === 'input',
  );
const textOf = (view: ModalView) => mrkdwnStrings(view).join('\n');

const NOTHING: ApproveModalOptions = { chosen: null, top: null };
const approveBare = (details: RequestDetails) => approveModal(details, NOTHING);

describe.each([
  ['approveModal', approveBare, VIEWS.approve, 'Approve REF-12'],
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

  it('remembers the request id and block version as JSON in private_metadata', () => {
    for (const details of [realistic('submitted'), worst('submitted')]) {
      const view = build(details);
      expect(JSON.parse(view.private_metadata!)).toEqual({ requestId: details.request.id, v: 0 });
      expect(parseJson(decisionMetadataSchema, view.private_metadata)).toEqual({
        requestId: details.request.id,
        v: 0,
      });
    }
  });

  it('is identified by its callback id and titled with the ref', () => {
    const view = build(realistic('submitted'));
    expect(view.callback_id).toBe(callbackId);
    expect(view.title.text).toBe(title);
  });

  it('summarises the request with its context', () => {
    const text = textOf(build(realistic('submitted')));
    expect(text).toContain('*REF-12* · Reference call for *Globex Corp*');
    expect(text).toContain('>They worry about migrating');
  });
});

describe('decisionMetadataSchema', () => {
  it('reads metadata written before the version existed as version 0', () => {
    expect(parseJson(decisionMetadataSchema, '{"requestId":12}')).toEqual({ requestId: 12, v: 0 });
  });

  it('refuses a version out of range', () => {
    expect(parseJson(decisionMetadataSchema, '{"requestId":12,"v":1001}')).toBeNull();
    expect(parseJson(decisionMetadataSchema, '{"requestId":12,"v":-1}')).toBeNull();
  });
});

describe('approveModal', () => {
  const chosenJane: ApproveModalOptions = { chosen: janeSuggestion, top: realisticMatches };

  it('fits Block Kit with realistic matches and a chosen contact', () => {
    assertModalWithinLimits(approveModal(realistic('submitted'), chosenJane));
    assertModalWithinLimits(approveModal(realistic('submitted'), { chosen: rajSuggestion, top: null }));
  });

  it('fits Block Kit and escapes with 5 worst-case matches, a worst chosen contact and the highest version', () => {
    for (const top of [worstMatches(5), matcherWorst(5)]) {
      for (const details of [worst('submitted'), worst('submitted', 'cannot_ask')]) {
        const view = approveModal(details, { chosen: worstSuggestion(0), top, version: 1000 });
        assertModalWithinLimits(view);
        expect(rawMarkupIn(mrkdwnStrings(view))).toEqual([]);
        // The user text is there, escaped: the check above is not vacuous.
        expect(textOf(view)).toContain('&lt;!channel&gt;');
      }
    }
  });

  it('escapes the worst matches the real matcher gives', () => {
    const top = matcherWorst(5);
    // The matcher's own output really carries the markup, so escaping is what keeps it out.
    expect(top.suggestions).toHaveLength(5);
    expect(top.relaxed?.filter).toBe('rules');
    expect(JSON.stringify(top)).toContain('<!channel>');
    const view = approveModal(worst('submitted'), { chosen: top.suggestions[0]!, top });
    expect(rawMarkupIn(mrkdwnStrings(view))).toEqual([]);
  });

  it('asks for a contact, an optional note and an optional override reason, within their limits', () => {
    const [contact, note, override, ...rest] = inputs(approveModal(realistic('submitted'), chosenJane));
    expect(rest).toEqual([]);
    expect(contact).toMatchObject({
      block_id: APPROVE_FIELDS.contact.block,
      optional: false,
      dispatch_action: true,
      element: { type: 'external_select', action_id: APPROVE_FIELDS.contact.action, min_query_length: 0 },
    });
    expect(note).toMatchObject({
      block_id: APPROVE_FIELDS.note.block,
      optional: true,
      element: { type: 'plain_text_input', action_id: APPROVE_FIELDS.note.action, max_length: LIMITS.note },
    });
    expect(override).toMatchObject({
      block_id: APPROVE_FIELDS.overrideReason.block,
      optional: true,
      element: {
        type: 'plain_text_input',
        action_id: APPROVE_FIELDS.overrideReason.action,
        max_length: LIMITS.reason,
      },
    });
  });

  it('starts with the chosen contact, as "Name, Account · Title" without a description', () => {
    const [contact] = inputs(approveModal(realistic('submitted'), chosenJane));
    expect(contact!.element.initial_option).toEqual({
      text: { type: 'plain_text', text: 'Jane Doe, Acme Health · CFO', emoji: true },
      value: '7',
    });
  });

  it('shows opts.chosen, not the preferred contact: the listener picks the initial one', () => {
    // The request prefers Jane (7), but the listener chose Raj (8).
    const [contact] = inputs(approveModal(realistic('submitted'), { chosen: rajSuggestion, top: null }));
    expect(contact!.element.initial_option).toMatchObject({ value: '8' });
  });

  it('starts empty and invites a pick when nothing is chosen, even with a preferred contact', () => {
    const details = realistic('submitted');
    expect(details.preferred).not.toBeNull();
    const view = approveModal(details, { chosen: null, top: realisticMatches });
    expect(inputs(view)[0]!.element.initial_option).toBeUndefined();
    expect(textOf(view)).toContain('Pick a contact to see how they fit this request.');
  });

  it('shows how the chosen contact fits, and asks for an override when they are over the limits', () => {
    const fine = textOf(approveModal(realistic('submitted'), chosenJane));
    expect(fine).toContain('*Jane Doe*, CFO · Acme Health');
    expect(fine).toContain(':white_check_mark: Same industry: Healthcare · Uses Analytics');
    expect(fine).not.toContain('Over the program');

    const over = textOf(approveModal(realistic('submitted'), { chosen: rajSuggestion, top: null }));
    expect(over).toContain(
      ":octagonal_sign: *Over the program's limits:* asked 12 days ago (the program waits 14 days between asks); already has an open ask. To approve anyway, give an override reason below",
    );
    // A concern given both as a rule and as a warning shows once.
    expect(over.match(/already has an open ask · /g)).toHaveLength(1);
  });

  it('offers the top 3 matches with a Choose button naming the contact', () => {
    const view = approveModal(realistic('submitted'), { chosen: null, top: worstMatches(5) });
    const found = buttons(view);
    expect(found).toHaveLength(3);
    for (const [i, b] of found.entries()) {
      expect(b.text).toBe('Choose');
      expect(b.action_id).toBe(ACTIONS.chooseContact);
      expect(JSON.parse(b.value)).toEqual({ contactId: 999_999_900 + i });
    }
    expect(textOf(view)).toContain('*Top matches*');
  });

  it('shows no matches section without a match result', () => {
    const view = approveModal(realistic('submitted'), NOTHING);
    expect(buttons(view)).toEqual([]);
    expect(textOf(view)).not.toContain('Top matches');
  });

  it('says why the list is short: the relaxed filter and unmet criteria', () => {
    const text = textOf(
      approveModal(realistic('submitted'), {
        chosen: null,
        top: {
          suggestions: [janeSuggestion],
          relaxed: {
            filter: 'availability',
            message: 'Every contact who does a reference call is paused or retired.',
          },
          unmet: ['No contact in Healthcare fits', 'No VP fits'],
          eligibleCount: 0,
        },
      }),
    );
    expect(text).toContain(
      ':mag: Every contact who does a reference call is paused or retired. The nearest matches:',
    );
    expect(text).toContain(':mag: No contact in Healthcare fits; No VP fits; these are the closest.');
  });

  it('versions the contact block and remembers the version, so a chosen contact replaces what was typed', () => {
    const view = approveModal(realistic('submitted'), { ...chosenJane, version: 3 });
    expect(inputs(view)[0]!.block_id).toBe(`${APPROVE_FIELDS.contact.block}~3`);
    expect(parseJson(decisionMetadataSchema, view.private_metadata)).toEqual({ requestId: 12, v: 3 });
  });
});

describe('denyModal', () => {
  it('asks for a reason of at most LIMITS.reason characters, or a tick for "No suitable reference"', () => {
    const [noSuitable, reason] = inputs(denyModal(realistic('submitted')));
    expect(noSuitable).toMatchObject({
      block_id: DENY_FIELDS.noSuitableReference.block,
      optional: true,
      element: { type: 'checkboxes', action_id: DENY_FIELDS.noSuitableReference.action },
    });
    // Optional in the form: the service requires it unless the tick is there.
    expect(reason).toMatchObject({
      block_id: DENY_FIELDS.reason.block,
      optional: true,
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
