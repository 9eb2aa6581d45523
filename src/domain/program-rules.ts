/**
 * The program's overuse protection. An ask counts from the moment a manager approves a
 * contact for a request, whether or not the reference happens.
 */
export interface ProgramRules {
  /** The rolling window the ask limits look back over, in days. */
  windowDays: number;
  /** At most this many asks per contact within the window. */
  maxAsksPerContact: number;
  /** At least this many days between two asks to the same contact. */
  minDaysBetweenAsks: number;
  /** At most this many open asks per contact at a time. */
  maxOpenAsksPerContact: number;
  /** Optional cap on asks per account within the window; null for none. */
  maxAsksPerAccount: number | null;
}

export const DEFAULT_RULES: ProgramRules = Object.freeze({
  windowDays: 90,
  maxAsksPerContact: 3,
  minDaysBetweenAsks: 14,
  maxOpenAsksPerContact: 1,
  maxAsksPerAccount: null,
});

/** What refdesk knows about how a contact (and their account) was used lately. */
export interface ContactUsage {
  /** Asks within the window. */
  asksInWindow: number;
  /** When the contact was last asked (ISO), or null. */
  lastAskedAt: string | null;
  /** Asks still in progress: waiting on the owner, or agreed and not yet past the needed-by date. */
  openAsks: number;
  /** Asks of every contact of the same account within the window. */
  accountAsksInWindow: number;
}

export const NO_USAGE: ContactUsage = Object.freeze({
  asksInWindow: 0,
  lastAskedAt: null,
  openAsks: 0,
  accountAsksInWindow: 0,
});

export type RuleName = 'max_asks' | 'min_gap' | 'max_open' | 'account_cap';

export interface RuleViolation {
  rule: RuleName;
  /** In a manager's words, e.g. "asked 12 days ago (the program waits 14 days)". */
  message: string;
}

const DAY_MS = 86_400_000;

export const daysBetween = (earlierIso: string, now: Date): number =>
  Math.floor((now.getTime() - Date.parse(earlierIso)) / DAY_MS);

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);

export function agoText(days: number): string {
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

interface Rule {
  rule: RuleName;
  broken(usage: ContactUsage, rules: ProgramRules, now: Date): boolean;
  /** Only asked of a broken rule. */
  message(usage: ContactUsage, rules: ProgramRules, now: Date): string;
}

const RULES: readonly Rule[] = [
  {
    rule: 'max_asks',
    broken: (u, r) => u.asksInWindow >= r.maxAsksPerContact,
    message: (u, r) =>
      `asked ${times(u.asksInWindow)} in the last ${r.windowDays} days (limit ${r.maxAsksPerContact})`,
  },
  {
    rule: 'min_gap',
    broken: (u, r, now) => u.lastAskedAt !== null && daysBetween(u.lastAskedAt, now) < r.minDaysBetweenAsks,
    message: (u, r, now) =>
      `asked ${agoText(daysBetween(u.lastAskedAt!, now))} (the program waits ${r.minDaysBetweenAsks} days between asks)`,
  },
  {
    rule: 'max_open',
    broken: (u, r) => u.openAsks >= r.maxOpenAsksPerContact,
    message: (u) => (u.openAsks === 1 ? 'already has an open ask' : `already has ${u.openAsks} open asks`),
  },
  {
    rule: 'account_cap',
    broken: (u, r) => r.maxAsksPerAccount !== null && u.accountAsksInWindow >= r.maxAsksPerAccount,
    message: (u, r) =>
      `their account was asked ${times(u.accountAsksInWindow)} in the last ${r.windowDays} days (limit ${r.maxAsksPerAccount})`,
  },
];

/** Every rule this contact would break if asked now; empty when they may be asked. */
export const ruleViolations = (usage: ContactUsage, rules: ProgramRules, now: Date): RuleViolation[] =>
  RULES.filter((r) => r.broken(usage, rules, now)).map((r) => ({
    rule: r.rule,
    message: r.message(usage, rules, now),
  }));

/** Whether asking the contact now breaks any rule (the matcher asks this of every candidate). */
export const breaksRules = (usage: ContactUsage, rules: ProgramRules, now: Date): boolean =>
  RULES.some((r) => r.broken(usage, rules, now));
