import { z } from 'zod';
import { isIsoDate } from './dates.ts';
import { blankToNull, optionalText, requiredText } from './text-fields.ts';
import { ACTIVITY_KEYS, type Activity, SENIORITY_KEYS, type Seniority } from './vocabulary.ts';

/** Field limits, chosen to fit Block Kit (section text 3000, option text 75). */
export const LIMITS = {
  prospect: 100,
  opportunity: 100,
  context: 2000,
  reason: 1000,
  note: 1000,
  amount: 1e12,
  products: 20,
  option: 75,
} as const;

/** The criteria and details of an ask, as a rep fills them in. */
export interface RequestDraft {
  prospect: string;
  opportunity: string | null;
  amount: number | null;
  industry: string | null;
  products: string[];
  region: string | null;
  companySize: string | null;
  seniority: Seniority | null;
  activity: Activity;
  neededBy: string;
  context: string;
  preferredContactId: number | null;
}
export type DraftField = keyof RequestDraft;
export type FieldErrors<F extends string = string> = Partial<Record<F, string>>;

/** The values of the directory the options come from; a value outside them is refused. */
export interface DirectoryFacets {
  industries: string[];
  products: string[];
  regions: string[];
  companySizes: string[];
}

const facetValue = z.preprocess(blankToNull, z.string().max(LIMITS.option).nullish());

function draftSchema(today: string) {
  return z.object({
    prospect: requiredText(LIMITS.prospect, 'Enter the prospect company.'),
    opportunity: optionalText(LIMITS.opportunity),
    amount: z.preprocess(
      blankToNull,
      z
        .union([
          z.number(),
          z
            .string()
            .trim()
            .regex(/^-?\d+(\.\d+)?$/, 'Enter the amount as a number, e.g. 250000.'),
        ])
        .transform(Number)
        .pipe(
          z
            .number()
            .finite()
            .min(0, 'The amount cannot be negative.')
            .max(LIMITS.amount, 'That amount is too large.'),
        )
        .nullish(),
    ),
    industry: facetValue,
    products: z.array(z.string().max(LIMITS.option)).max(LIMITS.products).default([]),
    region: facetValue,
    companySize: facetValue,
    seniority: z.preprocess(blankToNull, z.enum(SENIORITY_KEYS, 'Pick a seniority from the list.').nullish()),
    activity: z.enum(ACTIVITY_KEYS, 'Pick the activity you need.'),
    neededBy: z
      .string({ error: 'Pick the date you need the reference by.' })
      .refine(isIsoDate, 'Pick a date from the calendar.')
      .refine((date) => date >= today, 'Pick today or a later date.'),
    context: requiredText(LIMITS.context, 'Enter what the reference should speak to.'),
    preferredContactId: z.preprocess(
      blankToNull,
      z.coerce
        .number('Pick a contact from the list.')
        .int()
        .positive('Pick a contact from the list.')
        .nullish(),
    ),
  });
}

export type DraftResult = { ok: true; draft: RequestDraft } | { ok: false; errors: FieldErrors<DraftField> };

/**
 * Validates what a rep typed. `today` is the rep's calendar date; `facets` are the
 * directory's values, so a crafted option that the form never offered is refused.
 */
export function validateRequestDraft(input: unknown, today: string, facets: DirectoryFacets): DraftResult {
  const parsed = draftSchema(today).safeParse(input);
  const errors: FieldErrors<DraftField> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as DraftField;
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const d = parsed.data;
  const unknown = 'Pick a value from the list.';
  if (d.industry && !facets.industries.includes(d.industry)) errors.industry = unknown;
  if (d.region && !facets.regions.includes(d.region)) errors.region = unknown;
  if (d.companySize && !facets.companySizes.includes(d.companySize)) errors.companySize = unknown;
  if (d.products.some((p) => !facets.products.includes(p))) errors.products = unknown;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    draft: {
      prospect: d.prospect,
      opportunity: d.opportunity ?? null,
      amount: d.amount ?? null,
      industry: d.industry ?? null,
      products: [...new Set(d.products)],
      region: d.region ?? null,
      companySize: d.companySize ?? null,
      seniority: d.seniority ?? null,
      activity: d.activity,
      neededBy: d.neededBy,
      context: d.context,
      preferredContactId: d.preferredContactId ?? null,
    },
  };
}
