import { z } from 'zod';
import { isIsoDate } from './dates.ts';
import { LIMITS } from './request-draft.ts';
import { hasVisibleText } from './visible-text.ts';
import {
  ACTIVITY_KEYS,
  type Activity,
  CONTACT_STATUSES,
  type ContactStatus,
  SENIORITY_KEYS,
  type Seniority,
} from './vocabulary.ts';

/** One reference contact with its account, as the directory CSV and the contact forms carry it. */
export interface DirectoryEntry {
  account: string;
  accountId: string | null;
  industry: string | null;
  region: string | null;
  companySize: string;
  products: string[];
  owner: string;
  contactName: string | null;
  contactEmail: string;
  title: string | null;
  seniority: Seniority | null;
  activities: Activity[];
  customerSince: string | null;
  status: ContactStatus;
  /** Only a paused contact has these: the pause's last day (YYYY-MM-DD) and why. */
  pausedUntil: string | null;
  pauseReason: string | null;
  notes: string | null;
}

/** The CSV columns, in export order. */
export const DIRECTORY_COLUMNS = [
  'account',
  'account_id',
  'industry',
  'region',
  'company_size',
  'products',
  'owner',
  'contact_name',
  'contact_email',
  'title',
  'seniority',
  'activities',
  'customer_since',
  'status',
  'paused_until',
  'pause_reason',
  'notes',
] as const;
export type DirectoryColumn = (typeof DIRECTORY_COLUMNS)[number];
export const REQUIRED_COLUMNS: DirectoryColumn[] = ['account', 'company_size', 'owner', 'contact_email'];

/**
 * The longest text of each column: the import refuses more and the contact form's inputs allow
 * exactly this much, so whatever an import accepts can be edited in Slack. `products` counts the
 * list as the form writes it (see `productsText`); Slack's text inputs take at most 3000 characters.
 */
export const COLUMN_MAX_LENGTH = {
  account: 200,
  account_id: 100,
  industry: LIMITS.option,
  region: LIMITS.option,
  company_size: LIMITS.option,
  products: 3000,
  contact_name: 200,
  contact_email: 254,
  title: 200,
  pause_reason: LIMITS.reason,
  notes: 2000,
} as const satisfies Partial<Record<DirectoryColumn, number>>;

/** The products as the contact form shows them; the import reads this text back. */
export const productsText = (products: readonly string[]): string => products.join('; ');

/**
 * A spreadsheet runs a cell that starts with = + - @ (or tab or CR) as a formula, so the export
 * writes such a cell behind a ' and the import takes it off. A value that already starts with ' before
 * one of these gets one more, so export then import gives back every value exactly. The directory
 * has no numeric columns: a negative number in a text column is escaped like any formula.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
export const escapeFormula = (value: string): string => (FORMULA_START.test(value) ? `'${value}` : value);
export const unescapeFormula = (cell: string): string =>
  cell.startsWith("'") && FORMULA_START.test(cell) ? cell.slice(1) : cell;

/** Columns that describe the account: every row of one account must agree on them. */
export const ACCOUNT_COLUMNS: DirectoryColumn[] = [
  'account',
  'industry',
  'region',
  'company_size',
  'products',
  'owner',
];

const normalizeKey = (value: string) =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
const blank = (value: string | undefined) => !hasVisibleText(value);
const text = (max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (blank(v) ? null : v!.trim()))
    .pipe(z.string().max(max, `longer than ${max} characters`).nullable());
const present = () => z.string({ error: 'is required' }).trim().refine(hasVisibleText, 'is required');
/** A required text cell, trimmed, with visible text, at most `max` characters. */
export const required = (max: number) => present().max(max, `longer than ${max} characters`);
/** A `;`-separated cell: its values trimmed, blank ones dropped, each once; at most `max` of them when given. */
export const list = <T extends string>(item: z.ZodType<T, string>, max?: number) =>
  z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(';')
        .map((s) => s.trim())
        .filter(hasVisibleText),
    )
    .pipe(max === undefined ? z.array(item) : z.array(item).max(max, `more than ${max} values`))
    .transform((values) => [...new Set(values)]);

const activity = z
  .string()
  .transform(normalizeKey)
  .pipe(
    z.enum(ACTIVITY_KEYS, {
      error: (i) => `unknown activity "${i.input}" (use ${ACTIVITY_KEYS.join(', ')})`,
    }),
  );

const date = () => text(10).refine((v) => v === null || isIsoDate(v), 'must be a date written YYYY-MM-DD');
const MAX = COLUMN_MAX_LENGTH;

/** A pause end or reason on an active or retired contact would mean nothing: say so rather than drop it. */
function pauseOnlyWhenPaused(
  r: { status: string; paused_until: string | null; pause_reason: string | null },
  ctx: z.RefinementCtx,
) {
  if (r.status !== 'active' && r.status !== 'retired') return;
  for (const [column, what] of [
    ['paused_until', 'a pause end'],
    ['pause_reason', 'a pause reason'],
  ] as const) {
    if (r[column] === null) continue;
    const message = `only a paused contact has ${what}: set status to paused or leave ${column} empty`;
    ctx.addIssue({ code: 'custom', path: [column], message });
  }
}

const entrySchema = z
  .object({
    account: required(MAX.account),
    account_id: text(MAX.account_id),
    industry: text(MAX.industry),
    region: text(MAX.region),
    company_size: required(MAX.company_size),
    products: list(
      z.string().max(LIMITS.option, `a product is longer than ${LIMITS.option} characters`),
      50,
    ).refine(
      (products) => productsText(products).length <= MAX.products,
      `longer than ${MAX.products} characters in all, written "a; b; c"`,
    ),
    owner: present().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id such as U0123ABCD'),
    contact_name: text(MAX.contact_name),
    contact_email: present()
      .toLowerCase()
      .pipe(
        z
          .email('is not an email address')
          .max(MAX.contact_email, `longer than ${MAX.contact_email} characters`),
      ),
    title: text(MAX.title),
    seniority: z
      .string()
      .optional()
      .transform((v) => (blank(v) ? null : normalizeKey(v!).replace(/^c_?level$|^c_?suite$/, 'c_level')))
      .pipe(z.enum(SENIORITY_KEYS, `must be one of ${SENIORITY_KEYS.join(', ')}`).nullable()),
    activities: list(activity, ACTIVITY_KEYS.length),
    customer_since: date(),
    status: z
      .string()
      .optional()
      .transform((v) => (blank(v) ? 'active' : normalizeKey(v!)))
      .pipe(z.enum(CONTACT_STATUSES, `must be one of ${CONTACT_STATUSES.join(', ')}`)),
    // Any date: a pause that ended stays as written until the lifecycle job resumes the contact.
    paused_until: date(),
    pause_reason: text(MAX.pause_reason),
    notes: text(MAX.notes),
  })
  // Checked even when another column is bad, so a row's bad columns are all reported at once.
  .superRefine(pauseOnlyWhenPaused, { when: () => true });

export interface EntryIssue {
  column: DirectoryColumn | null;
  reason: string;
}

export type EntryResult = { ok: true; entry: DirectoryEntry } | { ok: false; issues: EntryIssue[] };

/** Validates one row of the directory, keyed by CSV column name. Every bad column is reported. */
export function parseDirectoryEntry(row: Partial<Record<DirectoryColumn, string>>): EntryResult {
  const parsed = entrySchema.safeParse(row);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      column: (issue.path[0] as DirectoryColumn | undefined) ?? null,
      reason: issue.message,
    }));
    const seen = new Set<string>();
    return {
      ok: false,
      issues: issues.filter((i) => !seen.has(String(i.column)) && seen.add(String(i.column))),
    };
  }
  const r = parsed.data;
  return {
    ok: true,
    entry: {
      account: r.account,
      accountId: r.account_id,
      industry: r.industry,
      region: r.region,
      companySize: r.company_size,
      products: r.products,
      owner: r.owner,
      contactName: r.contact_name,
      contactEmail: r.contact_email,
      title: r.title,
      seniority: r.seniority,
      activities: r.activities,
      customerSince: r.customer_since,
      status: r.status,
      pausedUntil: r.paused_until,
      pauseReason: r.pause_reason,
      notes: r.notes,
    },
  };
}

/** The key an account is known by: its external id when given, otherwise its name. */
export const accountKey = (entry: Pick<DirectoryEntry, 'account' | 'accountId'>): string =>
  entry.accountId ? `id:${entry.accountId}` : `name:${entry.account.toLowerCase()}`;
