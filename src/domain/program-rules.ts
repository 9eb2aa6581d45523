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

/** Every rule this contact would break if asked now; empty when they may be asked. */
export function ruleViolations(usage: ContactUsage, rules: ProgramRules, now: Date): RuleViolation[] {
  const violations: RuleViolation[] = [];
  if (usage.asksInWindow >= rules.maxAsksPerContact) {
    violations.push({
      rule: 'max_asks',
      message: `asked ${times(usage.asksInWindow)} in the last ${rules.windowDays} days (limit ${rules.maxAsksPerContact})`,
    });
  }
  if (usage.lastAskedAt) {
    const days = daysBetween(usage.lastAskedAt, now);
    if (days < rules.minDaysBetweenAsks) {
      violations.push({
        rule: 'min_gap',
        message: `asked ${agoText(days)} (the program waits ${rules.minDaysBetweenAsks} days between asks)`,
      });
    }
  }
  if (usage.openAsks >= rules.maxOpenAsksPerContact) {
    violations.push({
      rule: 'max_open',
      message: usage.openAsks === 1 ? 'already has an open ask' : `already has ${usage.openAsks} open asks`,
    });
  }
  if (rules.maxAsksPerAccount !== null && usage.accountAsksInWindow >= rules.maxAsksPerAccount) {
    violations.push({
      rule: 'account_cap',
      message: `their account was asked ${times(usage.accountAsksInWindow)} in the last ${rules.windowDays} days (limit ${rules.maxAsksPerAccount})`,
    });
  }
  return violations;
}
