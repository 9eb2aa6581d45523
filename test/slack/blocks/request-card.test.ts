import { describe, expect, it } from 'vitest';
import { ownerAnswerNote, requestCard } from '../../../src/slack/blocks/request-card.ts';
import { ACTIONS, BLOCKS } from '../../../src/slack/ids.ts';
import { parseJson, requestButtonSchema } from '../../../src/slack/payloads.ts';
import { assertMessageWithinLimits, buttons, mrkdwnStrings } from './block-kit-limits.ts';
import {
  janeSuggestion,
  matcherWorst,
  rajSuggestion,
  realisticMatches,
  worstMatches,
  worstSuggestion,
} from './match-results.ts';
import { CASES, MANAGER, OWNER, REQUESTER, rawMarkupIn, realistic, worst } from './request-details.ts';

const allText = (value: unknown) => JSON.stringify(value);

describe('requestCard', () => {
  describe.each(CASES)('%s', (_name, status, answer) => {
    it('fits Block Kit with realistic values', () => {
      assertMessageWithinLimits(requestCard(realistic(status, answer)));
    });

    it('fits Block Kit with every text at its limit', () => {
      assertMessageWithinLimits(requestCard(worst(status, answer)));
    });

    it('escapes user text in everything Slack parses', () => {
      expect(rawMarkupIn(mrkdwnStrings(requestCard(worst(status, answer))))).toEqual([]);
    });

    it(`has Approve and Deny only when submitted`, () => {
      const found = buttons(requestCard(realistic(status, answer)));
      if (status === 'submitted') {
        expect(found.map((b) => [b.text, b.action_id])).toEqual([
          ['Approve', ACTIONS.approve],
          ['Deny', ACTIONS.deny],
        ]);
      } else {
        expect(found).toEqual([]);
      }
    });

    it('says the status in its context line', () => {
      const card = requestCard(realistic(status, answer));
      expect(allText(card.blocks)).toContain('*Status:*');
    });
  });

  it('puts the request id as JSON in both button values', () => {
    for (const details of [realistic('submitted'), worst('submitted')]) {
      const found = buttons(requestCard(details));
      expect(found).toHaveLength(2);
      for (const b of found) {
        expect(JSON.parse(b.value)).toEqual({ requestId: details.request.id });
        expect(parseJson(requestButtonSchema, b.value)).toEqual({ requestId: details.request.id });
      }
    }
  });

  it('keeps the buttons in the decision block, styled primary and danger', () => {
    const card = requestCard(realistic('submitted'));
    const decision = card.blocks.find((b) => b.type === 'actions');
    expect(decision).toMatchObject({
      block_id: BLOCKS.decision,
      elements: [{ style: 'primary' }, { style: 'danger' }],
    });
  });

  it('shows the request with its criteria', () => {
    const card = requestCard(realistic('submitted'));
    expect(card.text).toBe('REF-12: Reference call for Globex Corp, waiting for a reference manager');
    expect(card.blocks[0]).toMatchObject({
      type: 'header',
      text: { type: 'plain_text', text: 'REF-12 · Reference call for Globex Corp' },
    });
    const text = allText(card.blocks);
    for (const part of [
      `<@${REQUESTER}>`,
      'OPP-991',
      '250,000',
      'Healthcare',
      'EMEA',
      '1000-4999',
      'C-level',
      'Fri 4 Dec 2026',
      '>They worry about migrating',
      '>Also: how long did onboarding take?',
      '*Preferred contact:* *Jane Doe*, CFO · Acme Health',
      'Asked 2 times in the last 90 days',
    ]) {
      expect(text).toContain(part);
    }
  });

  it('never shows the contact’s email', () => {
    for (const [, status, answer] of CASES) {
      expect(allText(requestCard(realistic(status, answer)))).not.toContain('jane@acme.example');
    }
  });

  it('says when the owner sent the request back', () => {
    const text = allText(requestCard(realistic('submitted', 'declined')).blocks);
    expect(text).toContain(`<@${OWNER}> answered *They declined* for *Jane Doe*`);
    expect(allText(requestCard(realistic('submitted')).blocks)).not.toContain('answered');
  });

  it('shows who approved and who is asking while awaiting the owner', () => {
    const text = allText(requestCard(realistic('awaiting_owner')).blocks);
    expect(text).toContain(`Approved by <@${MANAGER}>`);
    expect(text).toContain(`Waiting on <@${OWNER}>, the account owner`);
    expect(text).toContain('>Jane prefers mornings.');
  });

  it('shows the owner’s confirmation once agreed', () => {
    const text = allText(requestCard(realistic('agreed')).blocks);
    expect(text).toContain(`<@${OWNER}> confirmed the contact agreed`);
    expect(text).not.toContain('Waiting on');
  });

  it('shows who denied and why', () => {
    const text = allText(requestCard(realistic('denied')).blocks);
    expect(text).toContain(`Denied by <@${MANAGER}>`);
    expect(text).toContain('>No contact fits this prospect.');
  });

  it('shows who cancelled', () => {
    expect(allText(requestCard(realistic('cancelled')).blocks)).toContain(
      `REF-12 was cancelled by <@${REQUESTER}>`,
    );
  });

  it('flags a preferred contact who is not active', () => {
    const details = realistic('submitted');
    const paused = { ...details, preferred: { ...details.preferred!, status: 'paused' as const } };
    expect(allText(requestCard(paused).blocks)).toContain('_paused_');
    const none = { ...details, preferred: null };
    expect(allText(requestCard(none).blocks)).toContain('*Preferred contact:* none');
  });
});

describe('requestCard with matches', () => {
  const text = (card: { blocks: unknown }) => mrkdwnStrings({ blocks: card.blocks }).join('\n');

  describe.each(CASES)('%s', (_name, status, answer) => {
    it('fits Block Kit and escapes with 3 worst-case matches and a worst preferred fit', () => {
      for (const top of [worstMatches(3), worstMatches(50), matcherWorst(3)]) {
        const card = requestCard(worst(status, answer), { top, preferred: worstSuggestion(9) });
        assertMessageWithinLimits(card);
        expect(rawMarkupIn(mrkdwnStrings(card))).toEqual([]);
      }
    });

    it('fits Block Kit with realistic matches', () => {
      assertMessageWithinLimits(
        requestCard(realistic(status, answer), { top: realisticMatches, preferred: rajSuggestion }),
      );
    });

    it('shows the top matches only while a manager must decide', () => {
      const card = requestCard(realistic(status, answer), { top: realisticMatches, preferred: null });
      if (status === 'submitted') expect(text(card)).toContain('*Top matches*');
      else expect(text(card)).not.toContain('Top matches');
    });
  });

  it('escapes the worst matches, whose user text is really there', () => {
    const card = requestCard(worst('submitted'), { top: worstMatches(3), preferred: worstSuggestion(9) });
    expect(text(card)).toContain('&lt;!channel&gt;');
    expect(text(card)).toContain('*NAME0');
  });

  it('lists the top 3, numbered, with why they fit and what is not ideal, and no Choose buttons', () => {
    const card = requestCard(realistic('submitted'), {
      top: { ...realisticMatches, suggestions: [...realisticMatches.suggestions, janeSuggestion] },
      preferred: null,
    });
    const all = text(card);
    expect(all).toContain(
      '1. *Jane Doe*, CFO · Acme Health\n:white_check_mark: Same industry: Healthcare · Uses Analytics · EMEA · C-level for a C-level · Customer for 5 years',
    );
    expect(all).toContain(
      '2. *Raj Patel*, Director of IT · Acme Health\n:white_check_mark: Same industry: Healthcare · 1 ask in the last 90 days\n:warning: asked 12 days ago (the program waits 14 days between asks) · already has an open ask · asked 12 days ago',
    );
    expect(all).toContain(
      '3. *Unnamed contact* · Globex\n:white_check_mark: No asks in the last 90 days\n:warning: different region (APAC) · already spoke with Globex Corp',
    );
    expect(all).not.toContain('4. ');
    expect(buttons(card).map((b) => b.action_id)).toEqual([ACTIONS.approve, ACTIONS.deny]);
  });

  it('warns about the preferred contact: rule violations and collisions, each once', () => {
    const card = requestCard(realistic('submitted'), { top: null, preferred: rajSuggestion });
    expect(text(card)).toContain(
      '*Preferred contact:* *Jane Doe*, CFO · Acme Health\nAsked 2 times in the last 90 days\n:warning: asked 12 days ago (the program waits 14 days between asks) · already has an open ask · asked 12 days ago',
    );
    const fine = requestCard(realistic('submitted'), { top: null, preferred: janeSuggestion });
    expect(text(fine)).not.toContain(':warning:');
  });

  it('says when no contact fits, and why', () => {
    const card = requestCard(realistic('submitted'), {
      top: {
        suggestions: [],
        relaxed: { filter: 'activity', message: 'No active contact has agreed to a reference call yet.' },
        unmet: [],
        eligibleCount: 0,
      },
      preferred: null,
    });
    expect(text(card)).toContain(':mag: No active contact has agreed to a reference call yet.');
    expect(text(card)).toContain('_No contact fits yet._');
  });
});

describe('ownerAnswerNote', () => {
  it.each(['declined', 'cannot_ask'] as const)('tells the managers the owner answered %s', (answer) => {
    const note = ownerAnswerNote(realistic('submitted', answer));
    assertMessageWithinLimits(note);
    expect(note.text).toContain(`<@${OWNER}> answered`);
    expect(note.text).toContain('REF-12 is back with you');
  });

  it('fits and escapes in the worst case', () => {
    const note = ownerAnswerNote(worst('submitted', 'declined'));
    assertMessageWithinLimits(note);
    expect(rawMarkupIn(mrkdwnStrings(note))).toEqual([]);
  });
});
