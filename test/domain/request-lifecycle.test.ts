import { describe, expect, it } from 'vitest';
import {
  isFinished,
  nextStatus,
  nextStep,
  REQUEST_STATUS_KEYS,
  type RequestAction,
  type RequestStatus,
  statusLabel,
} from '../../src/domain/request-lifecycle.ts';

const ACTIONS: RequestAction[] = [
  'approve',
  'deny',
  'owner_agreed',
  'owner_declined',
  'owner_cannot_ask',
  'cancel',
  'expire',
  'held',
  'not_held',
];

/** The whole allowed graph, written out independently of the implementation. */
const ALLOWED: Record<string, RequestStatus> = {
  'submitted/approve': 'awaiting_owner',
  'submitted/deny': 'denied',
  'submitted/cancel': 'cancelled',
  'awaiting_owner/owner_agreed': 'agreed',
  'awaiting_owner/owner_declined': 'submitted',
  'awaiting_owner/owner_cannot_ask': 'submitted',
  'awaiting_owner/cancel': 'cancelled',
  'submitted/expire': 'expired',
  'awaiting_owner/expire': 'expired',
  'agreed/held': 'completed',
  'agreed/not_held': 'not_held',
  'agreed/cancel': 'cancelled',
};

describe('request lifecycle', () => {
  it('knows exactly the eight statuses', () => {
    expect([...REQUEST_STATUS_KEYS].sort()).toEqual(
      [
        'agreed',
        'awaiting_owner',
        'cancelled',
        'completed',
        'denied',
        'expired',
        'not_held',
        'submitted',
      ].sort(),
    );
  });

  describe.each(Object.entries(ALLOWED))('allowed %s', (pair, to) => {
    it(`goes to ${to}`, () => {
      const [from, action] = pair.split('/') as [RequestStatus, RequestAction];
      expect(nextStatus(from, action)).toBe(to);
    });
  });

  const disallowed = REQUEST_STATUS_KEYS.flatMap((from) =>
    ACTIONS.filter((action) => !(`${from}/${action}` in ALLOWED)).map((action) => [from, action] as const),
  );

  it('has every other (status, action) pair disallowed', () => {
    expect(disallowed).toHaveLength(
      REQUEST_STATUS_KEYS.length * ACTIONS.length - Object.keys(ALLOWED).length,
    );
  });

  it.each(disallowed)('refuses %s + %s', (from, action) => {
    expect(nextStatus(from, action)).toBeNull();
  });

  it('treats completed, not held, denied, cancelled and expired as finished and the others as open', () => {
    expect(isFinished('submitted')).toBe(false);
    expect(isFinished('awaiting_owner')).toBe(false);
    expect(isFinished('agreed')).toBe(false);
    for (const done of ['completed', 'not_held', 'denied', 'cancelled', 'expired'] as const)
      expect(isFinished(done)).toBe(true);
  });

  it('a finished status allows no action at all', () => {
    for (const status of REQUEST_STATUS_KEYS.filter(isFinished)) {
      for (const action of ACTIONS) expect(nextStatus(status, action)).toBeNull();
    }
  });

  it.each(REQUEST_STATUS_KEYS)('has a label and a next step for %s', (status) => {
    expect(statusLabel(status)).toMatch(/\S/);
    expect(nextStep(status)).toMatch(/\S/);
  });

  it('describes the statuses in the words of the program', () => {
    expect(statusLabel('submitted')).toBe('Waiting for a reference manager');
    expect(statusLabel('awaiting_owner')).toBe('Approved, waiting for the account owner');
    expect(statusLabel('agreed')).toBe('Contact agreed');
    expect(statusLabel('denied')).toBe('Denied');
    expect(statusLabel('cancelled')).toBe('Cancelled');
    expect(nextStep('submitted')).toBe('A reference manager picks a contact or declines');
    expect(nextStep('awaiting_owner')).toBe('The account owner asks the contact');
    expect(nextStep('agreed')).toBe('Reach out to the contact, then tell refdesk whether it happened');
    expect(nextStep('completed')).toBe('Record the deal result when you know it');
    expect(nextStep('expired')).toBe('Nothing: this ask is closed');
    expect(nextStep('denied')).toBe('Nothing: this ask is closed');
    expect(nextStep('cancelled')).toBe('Nothing: this ask is closed');
  });

  it('labels every status differently', () => {
    const labels = REQUEST_STATUS_KEYS.map(statusLabel);
    expect(new Set(labels).size).toBe(labels.length);
  });
});
