import { describe, expect, it } from 'vitest';
import {
  agoText,
  type ContactUsage,
  DEFAULT_RULES,
  daysBetween,
  NO_USAGE,
  type ProgramRules,
  ruleViolations,
} from '../../src/domain/program-rules.ts';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();

const violations = (usage: Partial<ContactUsage>, rules: Partial<ProgramRules> = {}) =>
  ruleViolations({ ...NO_USAGE, ...usage }, { ...DEFAULT_RULES, ...rules }, NOW);

describe('DEFAULT_RULES', () => {
  it('asks each contact at most 3 times in 90 days, 14 days apart, one open ask at a time, no account cap', () => {
    expect(DEFAULT_RULES).toEqual({
      windowDays: 90,
      maxAsksPerContact: 3,
      minDaysBetweenAsks: 14,
      maxOpenAsksPerContact: 1,
      maxAsksPerAccount: null,
    });
    expect(Object.isFrozen(DEFAULT_RULES)).toBe(true);
    expect(Object.isFrozen(NO_USAGE)).toBe(true);
  });
});

describe('ruleViolations', () => {
  it('finds nothing for a contact never asked', () => {
    expect(violations({})).toEqual([]);
  });

  it('finds nothing just inside every limit', () => {
    expect(
      violations(
        { asksInWindow: 2, lastAskedAt: daysAgo(14), openAsks: 0, accountAsksInWindow: 4 },
        { maxAsksPerAccount: 5 },
      ),
    ).toEqual([]);
  });

  it('counts asks within the window against the per-contact limit', () => {
    expect(violations({ asksInWindow: 3, lastAskedAt: daysAgo(30) })).toEqual([
      { rule: 'max_asks', message: 'asked 3 times in the last 90 days (limit 3)' },
    ]);
    expect(
      violations({ asksInWindow: 1, lastAskedAt: daysAgo(30) }, { maxAsksPerContact: 1, windowDays: 60 }),
    ).toEqual([{ rule: 'max_asks', message: 'asked once in the last 60 days (limit 1)' }]);
  });

  it('wants the minimum number of days between two asks', () => {
    expect(violations({ lastAskedAt: daysAgo(13) })).toEqual([
      { rule: 'min_gap', message: 'asked 13 days ago (the program waits 14 days between asks)' },
    ]);
    expect(violations({ lastAskedAt: daysAgo(1) })[0]!.message).toBe(
      'asked yesterday (the program waits 14 days between asks)',
    );
    expect(violations({ lastAskedAt: NOW.toISOString() })[0]!.message).toBe(
      'asked today (the program waits 14 days between asks)',
    );
    // Days are whole: 13 days and 23 hours ago is still 13 days.
    expect(violations({ lastAskedAt: new Date(NOW.getTime() - 14 * DAY_MS + 1).toISOString() })).toHaveLength(
      1,
    );
    expect(violations({ lastAskedAt: daysAgo(14) })).toEqual([]);
  });

  it('limits the open asks', () => {
    expect(violations({ openAsks: 1 })).toEqual([{ rule: 'max_open', message: 'already has an open ask' }]);
    expect(violations({ openAsks: 2 })).toEqual([{ rule: 'max_open', message: 'already has 2 open asks' }]);
    expect(violations({ openAsks: 2 }, { maxOpenAsksPerContact: 3 })).toEqual([]);
  });

  it('applies the account cap only when there is one', () => {
    expect(violations({ accountAsksInWindow: 500 })).toEqual([]);
    expect(violations({ accountAsksInWindow: 5 }, { maxAsksPerAccount: 5 })).toEqual([
      { rule: 'account_cap', message: 'their account was asked 5 times in the last 90 days (limit 5)' },
    ]);
    expect(violations({ accountAsksInWindow: 1 }, { maxAsksPerAccount: 1 })[0]!.message).toBe(
      'their account was asked once in the last 90 days (limit 1)',
    );
  });

  it('lists every rule broken, in a fixed order', () => {
    const found = violations(
      { asksInWindow: 4, lastAskedAt: daysAgo(3), openAsks: 1, accountAsksInWindow: 9 },
      { maxAsksPerAccount: 6 },
    );
    expect(found.map((v) => v.rule)).toEqual(['max_asks', 'min_gap', 'max_open', 'account_cap']);
  });
});

describe('daysBetween and agoText', () => {
  it('counts whole days from an ISO time to now', () => {
    expect(daysBetween(NOW.toISOString(), NOW)).toBe(0);
    expect(daysBetween(daysAgo(1), NOW)).toBe(1);
    expect(daysBetween(new Date(NOW.getTime() - DAY_MS + 1).toISOString(), NOW)).toBe(0);
    expect(daysBetween('2026-11-10T12:00:00.000Z', NOW)).toBe(12);
  });

  it('says today, yesterday or N days ago', () => {
    expect(agoText(-1)).toBe('today');
    expect(agoText(0)).toBe('today');
    expect(agoText(1)).toBe('yesterday');
    expect(agoText(12)).toBe('12 days ago');
  });
});
