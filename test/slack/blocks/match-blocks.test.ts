import { describe, expect, it } from 'vitest';
import { matchBlocks, matchNotes, suggestionText } from '../../../src/slack/blocks/match-blocks.ts';
import { ACTIONS } from '../../../src/slack/ids.ts';
import { assertMessageWithinLimits, buttons, mrkdwnStrings } from './block-kit-limits.ts';
import {
  janeSuggestion,
  kimSuggestion,
  matcherWorst,
  rajSuggestion,
  realisticMatches,
  worstMatches,
  worstSuggestion,
} from './match-results.ts';
import { rawMarkupIn } from './request-details.ts';

const asMessage = (blocks: unknown) => ({ text: 'matches', blocks });

describe('suggestionText', () => {
  it('names the contact, then why they fit, then what is not ideal', () => {
    expect(suggestionText(janeSuggestion, 1)).toBe(
      '1. *Jane Doe*, CFO · Acme Health\n:white_check_mark: Same industry: Healthcare · Uses Analytics · EMEA · C-level for a C-level · Customer for 5 years',
    );
    expect(suggestionText(kimSuggestion)).toBe(
      '*Unnamed contact* · Globex\n:white_check_mark: No asks in the last 90 days\n:warning: different region (APAC) · already spoke with Globex Corp',
    );
  });

  it('lists rule violations before warnings, each concern once', () => {
    expect(suggestionText(rajSuggestion).split('\n')[2]).toBe(
      ':warning: asked 12 days ago (the program waits 14 days between asks) · already has an open ask · asked 12 days ago',
    );
  });

  it('leaves out empty lines', () => {
    const bare = { ...janeSuggestion, reasons: [], warnings: [], violations: [] };
    expect(suggestionText(bare)).toBe('*Jane Doe*, CFO · Acme Health');
  });

  it('escapes every piece of user text', () => {
    const text = suggestionText(worstSuggestion(0), 5);
    expect(rawMarkupIn([text])).toEqual([]);
    expect(text.startsWith('5. *NAME0&lt;!channel&gt;')).toBe(true);
  });
});

describe('matchNotes', () => {
  it('says which filter emptied the list and that the nearest follow', () => {
    const relaxed = { filter: 'rules' as const, message: 'Everyone was asked too often lately.' };
    expect(matchNotes({ ...realisticMatches, relaxed })).toEqual([
      ':mag: Everyone was asked too often lately. The nearest matches:',
    ]);
    expect(matchNotes({ ...realisticMatches, suggestions: [], relaxed })).toEqual([
      ':mag: Everyone was asked too often lately.',
    ]);
  });

  it('lists unmet criteria in one note', () => {
    expect(matchNotes({ ...realisticMatches, unmet: ['No contact in APAC fits', 'No VP fits'] })).toEqual([
      ':mag: No contact in APAC fits; No VP fits; these are the closest.',
    ]);
  });

  it('has nothing to say when the list is fine', () => {
    expect(matchNotes(realisticMatches)).toEqual([]);
  });

  it('escapes criteria in unmet notes', () => {
    expect(rawMarkupIn(matchNotes(worstMatches(1)))).toEqual([]);
  });
});

describe('matchBlocks', () => {
  it('is a title, the notes, then one section per match up to the limit', () => {
    const blocks = matchBlocks(worstMatches(8), { title: 'Top matches', limit: 3 });
    expect(blocks.map((b) => b.type)).toEqual([
      'section',
      'context',
      'context',
      'section',
      'section',
      'section',
    ]);
    expect(buttons(asMessage(blocks))).toEqual([]);
  });

  it('adds a button per match when asked, naming the contact', () => {
    const blocks = matchBlocks(realisticMatches, {
      title: 'Top matches',
      limit: 5,
      choose: { actionId: ACTIONS.chooseMatch, text: 'Choose' },
    });
    expect(buttons(asMessage(blocks))).toEqual(
      [7, 8, 9].map((id) => ({
        text: 'Choose',
        action_id: ACTIONS.chooseMatch,
        value: JSON.stringify({ contactId: id }),
      })),
    );
  });

  it('fits Block Kit and escapes with the worst matches', () => {
    for (const result of [worstMatches(5), matcherWorst(5)]) {
      const blocks = matchBlocks(result, {
        title: 'Top matches',
        limit: 5,
        choose: { actionId: ACTIONS.chooseMatch, text: 'Choose' },
      });
      assertMessageWithinLimits(asMessage(blocks));
      expect(rawMarkupIn(mrkdwnStrings(asMessage(blocks)))).toEqual([]);
    }
  });

  it('says so when no contact fits', () => {
    const blocks = matchBlocks(
      { suggestions: [], relaxed: null, unmet: [], eligibleCount: 0 },
      { title: 'Top matches', limit: 3 },
    );
    expect(mrkdwnStrings(asMessage(blocks))).toEqual(['matches', '*Top matches*', '_No contact fits yet._']);
  });
});
