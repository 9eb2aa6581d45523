import { describe, expect, it } from 'vitest';
import { ownerCancelled, ownerNudge, ownerNudgeClosed } from '../../../src/slack/blocks/owner-messages.ts';
import { ACTIONS, BLOCKS } from '../../../src/slack/ids.ts';
import { askButtonSchema, parseJson } from '../../../src/slack/payloads.ts';
import { assertMessageWithinLimits, buttons, mrkdwnStrings } from './block-kit-limits.ts';
import { MANAGER, OWNER, REQUESTER, rawMarkupIn, realistic, worst } from './request-details.ts';

const allText = (value: unknown) => JSON.stringify(value);

describe('ownerNudge', () => {
  it('fits Block Kit, realistic and worst case', () => {
    assertMessageWithinLimits(ownerNudge(realistic('awaiting_owner')));
    assertMessageWithinLimits(ownerNudge(worst('awaiting_owner')));
  });

  it('escapes user text', () => {
    expect(rawMarkupIn(mrkdwnStrings(ownerNudge(worst('awaiting_owner'))))).toEqual([]);
  });

  it('offers the three answers, each carrying the ask id as JSON', () => {
    for (const details of [realistic('awaiting_owner'), worst('awaiting_owner')]) {
      const found = buttons(ownerNudge(details));
      expect(found.map((b) => [b.text, b.action_id])).toEqual([
        ['They agreed', ACTIONS.ownerAgreed],
        ['They declined', ACTIONS.ownerDeclined],
        ["Can't ask now", ACTIONS.ownerCannotAsk],
      ]);
      for (const b of found) {
        expect(JSON.parse(b.value)).toEqual({ askId: details.ask!.id });
        expect(parseJson(askButtonSchema, b.value)).toEqual({ askId: details.ask!.id });
      }
    }
    const message = ownerNudge(realistic('awaiting_owner'));
    expect(message.blocks.at(-1)).toMatchObject({ type: 'actions', block_id: BLOCKS.ownerAnswer });
  });

  it('says who needs whom for what, with the context and the manager’s note', () => {
    const message = ownerNudge(realistic('awaiting_owner'));
    expect(message.text).toBe('Can you ask Jane Doe to help with REF-12 (Globex Corp)?');
    const text = allText(message.blocks);
    expect(text).toContain(`<@${REQUESTER}> needs *Jane Doe*, CFO · Acme Health for a *Reference call*`);
    expect(text).toContain('>They worry about migrating');
    expect(text).toContain(`*Note from <@${MANAGER}>*`);
    expect(text).toContain('>Jane prefers mornings.');
  });

  it('leaves the note out when there is none', () => {
    const details = realistic('awaiting_owner');
    const message = ownerNudge({ ...details, ask: { ...details.ask!, note: null } });
    expect(allText(message)).not.toContain('Note from');
  });
});

describe('ownerNudgeClosed', () => {
  it('replaces the buttons with the answer', () => {
    const message = ownerNudgeClosed(realistic('agreed'));
    assertMessageWithinLimits(message);
    expect(buttons(message)).toEqual([]);
    expect(message.text).toContain(`<@${OWNER}> answered *They agreed*`);
  });

  it('says the request was cancelled when there is no answer', () => {
    const details = realistic('awaiting_owner');
    const cancelled = { ...details, request: { ...details.request, status: 'cancelled' as const } };
    const message = ownerNudgeClosed(cancelled);
    assertMessageWithinLimits(message);
    expect(buttons(message)).toEqual([]);
    expect(message.text).toContain(`REF-12 was cancelled by <@${REQUESTER}>`);
  });

  it('fits and escapes in the worst case', () => {
    for (const message of [ownerNudgeClosed(worst('agreed')), ownerNudgeClosed(worst('awaiting_owner'))]) {
      assertMessageWithinLimits(message);
      expect(rawMarkupIn(mrkdwnStrings(message))).toEqual([]);
    }
  });
});

describe('ownerCancelled', () => {
  it('tells the owner there is no need to ask', () => {
    const message = ownerCancelled(realistic('awaiting_owner'));
    assertMessageWithinLimits(message);
    expect(message.text).toContain('REF-12 for *Globex Corp* was cancelled');
    expect(message.text).toContain('no need to ask Jane Doe');
  });

  it('fits and escapes in the worst case', () => {
    const message = ownerCancelled(worst('awaiting_owner'));
    assertMessageWithinLimits(message);
    expect(rawMarkupIn(mrkdwnStrings(message))).toEqual([]);
  });
});
