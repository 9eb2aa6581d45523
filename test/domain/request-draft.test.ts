import { describe, expect, it } from 'vitest';
import {
  type DirectoryFacets,
  type DraftField,
  LIMITS,
  validateRequestDraft,
} from '../../src/domain/request-draft.ts';

const TODAY = '2026-11-22';
const YESTERDAY = '2026-11-21';

const facets: DirectoryFacets = {
  industries: ['Healthcare', 'Manufacturing'],
  products: ['Analytics', 'Billing', 'Payroll'],
  regions: ['EMEA', 'North America'],
  companySizes: ['1000-4999', 'Enterprise'],
};

/** What the request modal sends back: strings or null, products as a list. */
const validInput = {
  prospect: 'Globex Corp',
  opportunity: 'OPP-991',
  amount: '250000',
  industry: 'Healthcare',
  products: ['Analytics', 'Billing'],
  region: 'EMEA',
  companySize: 'Enterprise',
  seniority: 'vp',
  activity: 'reference_call',
  neededBy: '2026-12-04',
  context: 'They worry about the migration from their old billing system.',
  preferredContactId: '7',
};

const validate = (patch: Record<string, unknown>, today = TODAY) =>
  validateRequestDraft({ ...validInput, ...patch }, today, facets);

/** Asserts the input is refused with an error on `field` (and returns that error). */
function errorOn(field: DraftField, patch: Record<string, unknown>): string {
  const result = validate(patch);
  if (result.ok) throw new Error(`expected an error on ${field}, got a valid draft`);
  expect(Object.keys(result.errors)).toContain(field);
  return result.errors[field]!;
}

describe('validateRequestDraft', () => {
  it('accepts a complete request and types its values', () => {
    const result = validate({});
    expect(result).toEqual({
      ok: true,
      draft: {
        prospect: 'Globex Corp',
        opportunity: 'OPP-991',
        amount: 250000,
        industry: 'Healthcare',
        products: ['Analytics', 'Billing'],
        region: 'EMEA',
        companySize: 'Enterprise',
        seniority: 'vp',
        activity: 'reference_call',
        neededBy: '2026-12-04',
        context: 'They worry about the migration from their old billing system.',
        preferredContactId: 7,
      },
    });
  });

  it('accepts only the required fields and fills the rest with null', () => {
    const result = validateRequestDraft(
      { prospect: 'Globex', activity: 'quote', neededBy: TODAY, context: 'Pricing' },
      TODAY,
      facets,
    );
    expect(result).toEqual({
      ok: true,
      draft: {
        prospect: 'Globex',
        opportunity: null,
        amount: null,
        industry: null,
        products: [],
        region: null,
        companySize: null,
        seniority: null,
        activity: 'quote',
        neededBy: TODAY,
        context: 'Pricing',
        preferredContactId: null,
      },
    });
  });

  it('turns blank strings into null', () => {
    const result = validate({
      opportunity: '   ',
      amount: '',
      industry: '',
      region: ' ',
      companySize: '',
      seniority: '',
      preferredContactId: '  ',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.draft).toMatchObject({
      opportunity: null,
      amount: null,
      industry: null,
      region: null,
      companySize: null,
      seniority: null,
      preferredContactId: null,
    });
  });

  it('counts an optional text with no visible character as blank', () => {
    const result = validate({ opportunity: '\u200b', amount: '\u2060' });
    expect(result.ok && result.draft).toMatchObject({ opportunity: null, amount: null });
  });

  it('trims the texts', () => {
    const result = validate({ prospect: '  Globex  ', context: '\n Pricing \n', opportunity: ' OPP-1 ' });
    expect(result.ok && result.draft).toMatchObject({
      prospect: 'Globex',
      context: 'Pricing',
      opportunity: 'OPP-1',
    });
  });

  it('accepts amounts as numbers, decimals and zero', () => {
    expect(validate({ amount: 12.5 })).toMatchObject({ ok: true, draft: { amount: 12.5 } });
    expect(validate({ amount: '1234.75' })).toMatchObject({ ok: true, draft: { amount: 1234.75 } });
    expect(validate({ amount: '0' })).toMatchObject({ ok: true, draft: { amount: 0 } });
    expect(validate({ amount: String(LIMITS.amount) })).toMatchObject({
      ok: true,
      draft: { amount: LIMITS.amount },
    });
  });

  it('de-duplicates products', () => {
    const result = validate({ products: ['Analytics', 'Billing', 'Analytics', 'Billing'] });
    expect(result).toMatchObject({ ok: true, draft: { products: ['Analytics', 'Billing'] } });
  });

  it('accepts a date of today in the rep’s calendar', () => {
    expect(validate({ neededBy: TODAY })).toMatchObject({ ok: true, draft: { neededBy: TODAY } });
  });

  it('reports every bad field at once', () => {
    const result = validateRequestDraft(
      { prospect: '', amount: '-1', activity: 'lunch', neededBy: YESTERDAY, context: '' },
      TODAY,
      facets,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual([
      'activity',
      'amount',
      'context',
      'neededBy',
      'prospect',
    ]);
  });

  describe('refuses', () => {
    it('a missing prospect', () => {
      expect(errorOn('prospect', { prospect: undefined })).toBe('Enter the prospect company.');
      expect(errorOn('prospect', { prospect: null })).toBe('Enter the prospect company.');
      expect(errorOn('prospect', { prospect: '   ' })).toBe('Enter the prospect company.');
    });

    it('a prospect over 100 characters', () => {
      expect(validate({ prospect: 'x'.repeat(LIMITS.prospect) }).ok).toBe(true);
      expect(errorOn('prospect', { prospect: 'x'.repeat(LIMITS.prospect + 1) })).toBe(
        'Keep it under 100 characters.',
      );
    });

    it('an opportunity over 100 characters', () => {
      expect(errorOn('opportunity', { opportunity: 'o'.repeat(LIMITS.opportunity + 1) })).toMatch(/100/);
    });

    it('a negative amount', () => {
      expect(errorOn('amount', { amount: '-5' })).toBe('The amount cannot be negative.');
      expect(errorOn('amount', { amount: -0.01 })).toBe('The amount cannot be negative.');
    });

    it.each(['12abc', 'abc', '1,000', '1e6', '12.', '.5', 'Infinity', '$100'])(
      'a non-numeric amount %j',
      (amount) => {
        expect(errorOn('amount', { amount })).toBe('Enter the amount as a number, e.g. 250000.');
      },
    );

    it('an amount that is too large', () => {
      expect(errorOn('amount', { amount: String(LIMITS.amount + 1) })).toBe('That amount is too large.');
      expect(errorOn('amount', { amount: '99999999999999999999' })).toBe('That amount is too large.');
    });

    it('a missing activity', () => {
      expect(errorOn('activity', { activity: undefined })).toBe('Pick the activity you need.');
      expect(errorOn('activity', { activity: null })).toBe('Pick the activity you need.');
      expect(errorOn('activity', { activity: '' })).toBe('Pick the activity you need.');
    });

    it('an unknown activity', () => {
      expect(errorOn('activity', { activity: 'golf_outing' })).toBe('Pick the activity you need.');
      expect(errorOn('activity', { activity: 'Reference call' })).toBe('Pick the activity you need.');
    });

    it('an unknown seniority', () => {
      expect(errorOn('seniority', { seniority: 'intern' })).toBe('Pick a seniority from the list.');
      expect(errorOn('seniority', { seniority: 'VP' })).toBe('Pick a seniority from the list.');
    });

    it('a date before the rep’s today', () => {
      expect(errorOn('neededBy', { neededBy: YESTERDAY })).toBe('Pick today or a later date.');
      // The same date is fine for a rep whose calendar is a day behind.
      expect(validate({ neededBy: YESTERDAY }, YESTERDAY).ok).toBe(true);
    });

    it('an invalid calendar date', () => {
      expect(errorOn('neededBy', { neededBy: '2026-02-30' })).toBe('Pick a date from the calendar.');
      expect(errorOn('neededBy', { neededBy: '2027-02-29' })).toBe('Pick a date from the calendar.');
      expect(errorOn('neededBy', { neededBy: '04/12/2026' })).toBe('Pick a date from the calendar.');
    });

    it('a missing date', () => {
      expect(errorOn('neededBy', { neededBy: undefined })).toBe('Pick the date you need the reference by.');
      expect(errorOn('neededBy', { neededBy: null })).toBe('Pick the date you need the reference by.');
    });

    it('a missing context', () => {
      const message = 'Enter what the reference should speak to.';
      expect(errorOn('context', { context: undefined })).toBe(message);
      expect(errorOn('context', { context: null })).toBe(message);
      expect(errorOn('context', { context: ' \n ' })).toBe(message);
    });

    it('a prospect or context with no visible character', () => {
      for (const invisible of ['\u200b\u2060', '\ufeff', '\u200b \u3164\u2800']) {
        expect(errorOn('prospect', { prospect: invisible })).toBe('Enter the prospect company.');
        expect(errorOn('context', { context: invisible })).toBe('Enter what the reference should speak to.');
      }
    });

    it('a context over 2000 characters', () => {
      expect(validate({ context: 'c'.repeat(LIMITS.context) }).ok).toBe(true);
      expect(errorOn('context', { context: 'c'.repeat(LIMITS.context + 1) })).toBe(
        'Keep it under 2000 characters.',
      );
    });

    it.each([
      ['industry', { industry: 'Aerospace' }],
      ['region', { region: 'Antarctica' }],
      ['companySize', { companySize: '1-10' }],
      ['products', { products: ['Analytics', 'Time travel'] }],
    ] as const)('a %s that is not in the directory', (field, patch) => {
      expect(errorOn(field, patch)).toBe('Pick a value from the list.');
    });

    it('facet values are matched exactly', () => {
      expect(errorOn('industry', { industry: 'healthcare' })).toBe('Pick a value from the list.');
    });

    it('more than 20 products', () => {
      const many = Array.from({ length: LIMITS.products + 1 }, (_, i) => `P${i}`);
      const result = validateRequestDraft({ ...validInput, products: many }, TODAY, {
        ...facets,
        products: many,
      });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.errors.products).toBeTruthy();
    });

    it.each(['abc', '12abc', '-3', '0', '1.5'])('a preferredContactId of %j', (preferredContactId) => {
      expect(errorOn('preferredContactId', { preferredContactId })).toBeTruthy();
    });

    it('input that is not an object', () => {
      expect(validateRequestDraft(null, TODAY, facets).ok).toBe(false);
      expect(validateRequestDraft('prospect', TODAY, facets).ok).toBe(false);
    });
  });
});
