import { z } from 'zod';
import { isIsoDate } from './dates.ts';
import { list, required } from './directory-entry.ts';
import { LIMITS } from './request-draft.ts';
import { blankToNull, optionalText } from './text-fields.ts';
import { hasVisibleText } from './visible-text.ts';

export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];

/** One opportunity of the sales pipeline, as the CRM report (and the pipeline CSV) carries it. */
export interface Opportunity {
  /** The CRM's id: the key an import matches rows by. */
  opportunityId: string;
  name: string | null;
  /** The prospect. */
  account: string | null;
  /** The rep as the file gave them: a Slack user id or an email. */
  owner: string | null;
  /** The rep's Slack user id when `owner` is one; an email is resolved later (see PipelineOwners). */
  ownerId: string | null;
  amount: number;
  currency: string;
  stage: string | null;
  status: OpportunityStatus;
  createdOn: string | null;
  closeDate: string | null;
  industry: string | null;
  products: string[];
  region: string | null;
  companySize: string | null;
}

/** The CSV columns, in export order. */
export const PIPELINE_COLUMNS = [
  'opportunity_id',
  'name',
  'account',
  'owner',
  'amount',
  'currency',
  'stage',
  'status',
  'created',
  'close_date',
  'industry',
  'products',
  'region',
  'company_size',
] as const;
export type PipelineColumn = (typeof PIPELINE_COLUMNS)[number];
export const REQUIRED_PIPELINE_COLUMNS: PipelineColumn[] = ['opportunity_id', 'amount', 'status'];

/** The longest text of each column: what the `opportunities` table holds. */
export const PIPELINE_MAX_LENGTH = {
  opportunity_id: 100,
  name: 200,
  account: 200,
  owner: 254,
  stage: 100,
  industry: LIMITS.option,
  region: LIMITS.option,
  company_size: LIMITS.option,
  product: LIMITS.option,
} as const;

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
export const isSlackUserId = (owner: string): boolean => SLACK_USER_ID.test(owner);

const MAX = PIPELINE_MAX_LENGTH;
const longer = (max: number) => `longer than ${max} characters`;
const text = optionalText;
const date = () => text(30).refine((v) => v === null || isIsoDate(v), 'must be a date written YYYY-MM-DD');

const products = list(z.string().max(MAX.product, `a product is longer than ${MAX.product} characters`));

const email = z.email();
const owner = z.preprocess(
  blankToNull,
  z
    .string()
    .trim()
    .max(MAX.owner, longer(MAX.owner))
    .refine(
      (v) => isSlackUserId(v) || email.safeParse(v).success,
      'must be a Slack user id such as U0123ABCD or an email address',
    )
    .nullish()
    .transform((v) => v ?? null),
);

/** 12000, 12000.50 or 1.2e6: a plain non-negative number, no thousands separators or currency signs. */
const amount = z
  .string({ error: 'is required' })
  .trim()
  .refine(hasVisibleText, 'is required')
  .pipe(
    z
      .string()
      .regex(/^\d+(\.\d+)?(e[+-]?\d+)?$/i, 'must be a number such as 12000 or 12000.50, without separators')
      .transform(Number)
      .pipe(z.number().finite('is too large').min(0, 'must not be negative')),
  );

/** The row schema for each default currency, built once: building a zod object costs far more than using it. */
const rowSchemas = new Map<string, ReturnType<typeof buildRowSchema>>();
function rowSchema(defaultCurrency: string) {
  const known = rowSchemas.get(defaultCurrency);
  if (known) return known;
  const schema = buildRowSchema(defaultCurrency);
  rowSchemas.set(defaultCurrency, schema);
  return schema;
}

function buildRowSchema(defaultCurrency: string) {
  return z.object({
    opportunity_id: required(MAX.opportunity_id),
    name: text(MAX.name),
    account: text(MAX.account),
    owner,
    amount,
    currency: z
      .string()
      .optional()
      .transform((v) => (hasVisibleText(v) ? v!.trim().toUpperCase() : defaultCurrency))
      .pipe(z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code such as USD')),
    stage: text(MAX.stage),
    status: z
      .string({ error: 'is required' })
      .trim()
      .toLowerCase()
      .pipe(z.enum(OPPORTUNITY_STATUSES, `must be one of ${OPPORTUNITY_STATUSES.join(', ')}`)),
    created: date(),
    close_date: date(),
    industry: text(MAX.industry),
    products,
    region: text(MAX.region),
    company_size: text(MAX.company_size),
  });
}

export interface PipelineRowIssue {
  column: PipelineColumn | null;
  reason: string;
}

export type PipelineRowResult =
  | { ok: true; opportunity: Opportunity }
  | { ok: false; issues: PipelineRowIssue[] };

/**
 * Validates one row of the pipeline CSV, keyed by column name; every bad column is reported once.
 * `defaultCurrency` is taken for a row without one.
 */
export function parseOpportunityRow(
  row: Partial<Record<PipelineColumn, string>>,
  defaultCurrency: string,
): PipelineRowResult {
  const parsed = rowSchema(defaultCurrency).safeParse(row);
  if (!parsed.success) {
    const seen = new Set<string>();
    const issues = parsed.error.issues
      .map((issue) => ({
        column: (issue.path[0] as PipelineColumn | undefined) ?? null,
        reason: issue.message,
      }))
      .filter((i) => !seen.has(String(i.column)) && seen.add(String(i.column)));
    return { ok: false, issues };
  }
  const r = parsed.data;
  return {
    ok: true,
    opportunity: {
      opportunityId: r.opportunity_id,
      name: r.name,
      account: r.account,
      owner: r.owner,
      ownerId: r.owner !== null && isSlackUserId(r.owner) ? r.owner : null,
      amount: r.amount,
      currency: r.currency,
      stage: r.stage,
      status: r.status,
      createdOn: r.created,
      closeDate: r.close_date,
      industry: r.industry,
      products: r.products,
      region: r.region,
      companySize: r.company_size,
    },
  };
}

/**
 * A file holds one currency: amounts are not converted, so sums over mixed currencies would mean
 * nothing. The lines of every currency but the commonest (the first seen on a tie) are named.
 */
export function minorityCurrencyLines(
  rows: readonly { line: number; currency: string }[],
): { currency: string; majority: string; lines: number[] }[] {
  const byCurrency = new Map<string, number[]>();
  for (const { line, currency } of rows) {
    const lines = byCurrency.get(currency);
    if (lines) lines.push(line);
    else byCurrency.set(currency, [line]);
  }
  if (byCurrency.size <= 1) return [];
  const majority = [...byCurrency].reduce((a, b) => (b[1].length > a[1].length ? b : a))[0];
  return [...byCurrency]
    .filter(([currency]) => currency !== majority)
    .map(([currency, lines]) => ({ currency, majority, lines }));
}
