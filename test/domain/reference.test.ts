import { describe, expect, it } from 'vitest';
import { contactName, parseRequestRef, requestRef } from '../../src/domain/reference.ts';

describe('parseRequestRef', () => {
  it.each([
    ['REF-12', 12],
    ['ref-12', 12],
    ['Ref-7', 7],
    ['#12', 12],
    ['12', 12],
    ['  REF-12  ', 12],
    ['REF-123456789', 123456789],
  ])('reads %j as %d', (text, id) => {
    expect(parseRequestRef(text)).toBe(id);
  });

  it.each([
    '',
    'REF-',
    'REF12',
    'REF-12x',
    'REF-1234567890',
    '#',
    '##12',
    'REF-#12',
    '-12',
    '12.5',
    'twelve',
    'REF-12; drop table',
    'cancel 12',
  ])('rejects %j', (text) => {
    expect(parseRequestRef(text)).toBeNull();
  });

  it('round-trips requestRef', () => {
    expect(requestRef(42)).toBe('REF-42');
    expect(parseRequestRef(requestRef(42))).toBe(42);
  });
});

describe('contactName', () => {
  it('uses the name, or a placeholder rather than the email', () => {
    expect(contactName({ name: 'Jane Doe' })).toBe('Jane Doe');
    expect(contactName({ name: null })).toBe('Unnamed contact');
  });
});
