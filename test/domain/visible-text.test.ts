import { describe, expect, it } from 'vitest';
import { hasVisibleText } from '../../src/domain/visible-text.ts';

describe('hasVisibleText', () => {
  it.each([
    ['zero-width space and word joiner', '\u200b\u2060'],
    ['a byte order mark', '\ufeff'],
    ['whitespace of every kind', ' \t\n\u00a0\u3000\u2028'],
    ['a soft hyphen and zero-width joiners', '\u00ad\u200c\u200d'],
    ['a Hangul filler', '\u3164'],
    ['a blank Braille pattern', '\u2800'],
    ['a variation selector', '\ufe0f'],
    ['control characters', '\u0000\u0007'],
    ['nothing', ''],
  ])('is false for %s', (_, text) => {
    expect(hasVisibleText(text)).toBe(false);
  });

  it.each(['Acme', 'Ü', '日本', '😀', '-', '\u200bAcme\u2060'])('is true for %j', (text) => {
    expect(hasVisibleText(text)).toBe(true);
  });

  it('is false for null and undefined', () => {
    expect(hasVisibleText(null)).toBe(false);
    expect(hasVisibleText(undefined)).toBe(false);
  });
});
