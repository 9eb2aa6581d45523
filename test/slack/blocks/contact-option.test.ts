import { describe, expect, it } from 'vitest';
import { contactOption, profileOption, suggestionOption } from '../../../src/slack/blocks/contact-option.ts';
import { BLOCK_KIT } from './block-kit-limits.ts';
import { janeSuggestion, kimSuggestion, rajSuggestion, worstCandidate } from './match-results.ts';
import { realisticContact, worstContact } from './request-details.ts';

const jane = { id: 7, name: 'Jane Doe', title: 'CFO', accountName: 'Acme Health' };

describe('contactOption', () => {
  it('shows "Name, Account · Title" with the id as value, and no description', () => {
    expect(contactOption(jane)).toEqual({
      text: { type: 'plain_text', text: 'Jane Doe, Acme Health · CFO', emoji: true },
      value: '7',
    });
  });

  it('leaves out a missing title and names an unnamed contact', () => {
    expect(contactOption({ ...jane, title: null }).text.text).toBe('Jane Doe, Acme Health');
    expect(contactOption({ ...jane, name: null, title: null }).text.text).toBe(
      'Unnamed contact, Acme Health',
    );
  });

  it('adds a note in parentheses', () => {
    expect(contactOption(jane, 'over the program limits').text.text).toBe(
      'Jane Doe, Acme Health · CFO (over the program limits)',
    );
  });

  it('cuts the name to the option limit, marking the cut, and keeps the note whole', () => {
    const text = contactOption(worstCandidate(0), 'over the program limits').text.text;
    expect(text).toHaveLength(BLOCK_KIT.optionText);
    expect(text.endsWith('… (over the program limits)')).toBe(true);
  });
});

describe('suggestionOption', () => {
  it('marks contacts a manager would have to override, or who are not available', () => {
    expect(suggestionOption(janeSuggestion).text.text).toBe('Jane Doe, Acme Health · CFO');
    expect(suggestionOption(rajSuggestion).text.text).toBe(
      'Raj Patel, Acme Health · Director of IT (over the program limits)',
    );
    const notAgreed = {
      ...kimSuggestion,
      eligible: false,
      warnings: ['different region (APAC)', 'has not agreed to a site visit'],
    };
    expect(suggestionOption(notAgreed).text.text).toBe(
      'Unnamed contact, Globex (has not agreed to a site visit)',
    );
    const paused = { ...kimSuggestion, eligible: false, warnings: ['paused until 2026-12-01'] };
    expect(suggestionOption(paused).text.text).toBe('Unnamed contact, Globex (not available)');
  });
});

describe('profileOption', () => {
  it('shows a profile like any contact', () => {
    expect(profileOption(realisticContact)).toEqual(contactOption(jane));
    expect(profileOption(worstContact).text.text).toHaveLength(BLOCK_KIT.optionText);
    expect(profileOption(worstContact).value).toBe(String(worstContact.id));
  });
});
