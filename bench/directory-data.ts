import { stringify } from 'csv-stringify/sync';
import { DIRECTORY_COLUMNS, type DirectoryColumn } from '../src/domain/directory-entry.ts';
import type { RequestStatus } from '../src/domain/request-lifecycle.ts';
import { ACTIVITY_KEYS, type Activity, type Seniority } from '../src/domain/vocabulary.ts';
import { DirectoryImport } from '../src/services/directory-import.ts';
import type { Db } from '../src/store/database.ts';

/** mulberry32: a small, well-mixed 32-bit PRNG. Math.imul keeps the products exact 32-bit integers. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;

export const int = (rnd: Random, min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
const pick = <T>(rnd: Random, items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;

/** Picks one value by weight. */
export function weighted<T>(rnd: Random, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let r = rnd() * total;
  for (const [value, w] of choices) {
    r -= w;
    if (r < 0) return value;
  }
  return choices[choices.length - 1]![0];
}

/** Picks `count` distinct values by weight. */
function weightedDistinct<T>(rnd: Random, choices: readonly (readonly [T, number])[], count: number): T[] {
  const left = [...choices];
  const out: T[] = [];
  while (out.length < count && left.length > 0) {
    const value = weighted(rnd, left);
    out.push(value);
    left.splice(
      left.findIndex(([v]) => v === value),
      1,
    );
  }
  return out;
}

const INDUSTRIES = [
  'Healthcare',
  'Financial Services',
  'Manufacturing',
  'Retail',
  'Software',
  'Telecommunications',
  'Energy',
  'Education',
  'Public Sector',
  'Logistics',
  'Media',
  'Insurance',
] as const;
const REGIONS = ['North America', 'EMEA', 'APAC', 'LATAM', 'DACH'] as const;
const COMPANY_SIZES = [
  ['1-49', 10],
  ['50-249', 25],
  ['250-999', 30],
  ['1000-4999', 22],
  ['5000+', 13],
] as const;
const PRODUCTS = [
  ['Analytics', 30],
  ['Billing', 20],
  ['Payroll', 12],
  ['Identity', 10],
  ['Messaging', 10],
  ['Data Platform', 8],
  ['Forecasting', 6],
  ['Field Service', 5],
  ['Marketplace', 4],
  ['Edge Gateway', 3],
] as const;
const SENIORITIES: readonly (readonly [Seniority, number])[] = [
  ['c_level', 8],
  ['vp', 17],
  ['director', 30],
  ['manager', 28],
  ['practitioner', 17],
];
const ACTIVITY_WEIGHTS: Record<Activity, number> = {
  reference_call: 40,
  case_study: 14,
  quote: 12,
  peer_review: 9,
  video_testimonial: 7,
  speaking: 6,
  press_interview: 5,
  analyst_briefing: 4,
  site_visit: 3,
};
const ACTIVITIES = ACTIVITY_KEYS.map((a) => [a, ACTIVITY_WEIGHTS[a]] as const);
const STATUSES = [
  ['active', 88],
  ['paused', 8],
  ['retired', 4],
] as const;
const TITLES: Record<Seniority, readonly string[]> = {
  c_level: ['CEO', 'CFO', 'CIO', 'CTO', 'COO', 'Chief Data Officer'],
  vp: ['VP Operations', 'VP Finance', 'VP Engineering', 'VP Sales', 'VP IT'],
  director: ['Director of IT', 'Director of Finance', 'Head of Data', 'Director, Operations'],
  manager: ['IT Manager', 'Finance Manager', 'Operations Manager', 'Project Manager'],
  practitioner: ['Data Analyst', 'Systems Administrator', 'Accountant', 'Engineer', 'Buyer'],
};
const FIRST = [
  'Jane',
  'Raj',
  'Kim',
  'Pat',
  'Ana',
  'Lars',
  'Mei',
  'Omar',
  'Sofia',
  'Tom',
  'Aisha',
  'Diego',
  'Yuki',
  'Chloé',
  'Ivan',
  'Nora',
  'Kwame',
  'Priya',
  'Liam',
  'Zoë',
];
const LAST = [
  'Doe',
  'Patel',
  'Lee',
  'García',
  'Müller',
  'Nguyen',
  "O'Brien",
  'Rossi',
  'Kowalski',
  'Haddad',
  'Tanaka',
  'Silva',
  'Johnson',
  'Dubois',
  'Mensah',
  'Andersson',
];
const NAME_A = ['Blue', 'North', 'Bright', 'Iron', 'Silver', 'Green', 'Summit', 'Harbor', 'Cedar', 'Nova'];
const NAME_B = ['Ridge', 'Field', 'Stone', 'Bay', 'Point', 'Works', 'Labs', 'Peak', 'Gate', 'Line'];
const NAME_C = ['Group', 'Inc.', 'Ltd', 'Holdings', 'Systems', 'Partners', 'GmbH', 'Corp', '& Co', 'SA'];
const NOTES = [
  'Great advocate',
  'Prefers calls on Tuesdays',
  'Spoke at our user conference',
  'Ask the owner before any press',
  'Busy at quarter end, avoid late March',
  'Loves the analytics module; "a game changer"',
  'Based in the Lisbon office,\nhappy to host visits',
];
const OWNERS = 400;
const owner = (i: number) => `U0OWNER${String(i).padStart(3, '0')}`;
/** Every date is relative to this fixed day, so the same seed gives the same file on any day. */
const GENERATED_ON = Date.UTC(2026, 0, 1);
const DAY_MS = 86_400_000;

interface GeneratedAccount {
  account: string;
  account_id: string;
  industry: string;
  region: string;
  company_size: string;
  products: string;
  owner: string;
  domain: string;
}

function generateAccount(rnd: Random, index: number): GeneratedAccount {
  const base = `${pick(rnd, NAME_A)}${pick(rnd, NAME_B).toLowerCase()} ${pick(rnd, NAME_C)}`;
  // The index keeps names unique; about one account in seven has no CRM id and is known by its name.
  const account = `${base} ${index + 1}`;
  const products = weightedDistinct(rnd, PRODUCTS, int(rnd, 1, 3)).sort();
  return {
    account,
    account_id: rnd() < 0.85 ? `SF-${String(index + 1).padStart(6, '0')}` : '',
    industry: rnd() < 0.97 ? pick(rnd, INDUSTRIES) : '',
    region: pick(rnd, REGIONS),
    company_size: weighted(rnd, COMPANY_SIZES),
    products: products.join(';'),
    owner: owner(Math.floor(rnd() ** 1.5 * OWNERS)),
    domain: `${account.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example`,
  };
}

function generateContact(
  rnd: Random,
  index: number,
  account: GeneratedAccount,
): Record<DirectoryColumn, string> {
  const first = pick(rnd, FIRST);
  const last = pick(rnd, LAST);
  const seniority = rnd() < 0.95 ? weighted(rnd, SENIORITIES) : null;
  const activities = weightedDistinct(
    rnd,
    ACTIVITIES,
    weighted(rnd, [
      [1, 35],
      [2, 35],
      [3, 20],
      [4, 10],
    ] as const),
  );
  const since = new Date(GENERATED_ON - Math.floor(rnd() * 3650) * DAY_MS).toISOString().slice(0, 10);
  const local = `${first}.${last}`
    .normalize('NFD')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
  return {
    account: account.account,
    account_id: account.account_id,
    industry: account.industry,
    region: account.region,
    company_size: account.company_size,
    products: account.products,
    owner: account.owner,
    contact_name: `${first} ${last}`,
    contact_email: `${local}.${index + 1}@${account.domain}`,
    title: seniority ? pick(rnd, TITLES[seniority]) : '',
    seniority: seniority ?? '',
    activities: activities.join(';'),
    customer_since: rnd() < 0.9 ? since : '',
    status: weighted(rnd, STATUSES),
    paused_until: '',
    pause_reason: '',
    notes: rnd() < 0.2 ? pick(rnd, NOTES) : '',
  };
}

export interface DirectoryDataOptions {
  contacts: number;
  accounts: number;
  seed: number;
}

/**
 * A directory CSV in the import format: `accounts` accounts (at least one contact each, a few with
 * many) and `contacts` contacts, always the same for the same options.
 */
export function generateDirectoryCsv({ contacts, accounts, seed }: DirectoryDataOptions): string {
  if (accounts < 1 || contacts < accounts) throw new Error('need at least one contact per account');
  const rnd = mulberry32(seed);
  const generated = Array.from({ length: accounts }, (_, i) => generateAccount(rnd, i));
  // One contact each, the rest skewed so that some accounts have dozens.
  const perAccount = new Array<number>(accounts).fill(1);
  for (let i = accounts; i < contacts; i++) perAccount[Math.floor(rnd() ** 2 * accounts)]!++;
  const rows: Record<DirectoryColumn, string>[] = [];
  generated.forEach((account, a) => {
    for (let c = 0; c < perAccount[a]!; c++) rows.push(generateContact(rnd, rows.length, account));
  });
  return stringify(rows, { header: true, columns: [...DIRECTORY_COLUMNS] });
}

export interface PastAsksOptions {
  asks: number;
  seed: number;
  now: Date;
}

const REPS = 300;
const MANAGERS = ['U0MGR0001', 'U0MGR0002', 'U0MGR0003', 'U0MGR0004', 'U0MGR0005'];
const PROSPECTS = 5_000;
const OPEN_REQUESTS = 300;
const FINISHED: readonly (readonly [RequestStatus, number])[] = [
  ['agreed', 70],
  ['denied', 12],
  ['cancelled', 18],
];
/**
 * Who gets asked: 40% of asks go to the favourite 2% of contacts, 35% to the next 18%, the rest to
 * anyone. Each value is the share of the popularity order a pick is drawn from.
 */
const POPULARITY = [
  [0.02, 40],
  [0.2, 35],
  [1, 25],
] as const;
const REQUEST_COLUMNS = 22;

/** Who finished a request: the owner's answer, a manager's denial, or the rep (cancelled, or told how it went). */
function closedBy(status: RequestStatus, requester: string, manager: string, owner: string): string | null {
  if (status === 'agreed') return owner;
  if (status === 'denied') return manager;
  if (status === 'cancelled' || status === 'completed' || status === 'not_held') return requester;
  return null;
}
const ASK_COLUMNS = 11;
/** 999 bound parameters and 500 rows per statement at most, as in the import store. */
const rowsPerInsert = (columns: number) => Math.min(500, Math.floor(999 / columns));

async function insertAll(db: Db, table: string, rows: readonly object[], columns: number): Promise<void> {
  const size = rowsPerInsert(columns);
  for (let i = 0; i < rows.length; i += size) await db(table).insert(rows.slice(i, i + size));
}

/**
 * Fills the history of reference requests over the last two years: `asks` requests each with one
 * approved ask of a directory contact (some contacts much more asked than others). Nearly all are
 * finished (agreed, denied, cancelled); the most recent few hundred still wait on the account owner.
 * Needs the directory loaded and nothing else in reference_requests being written meanwhile.
 */
export async function seedPastAsks(db: Db, { asks, seed, now }: PastAsksOptions): Promise<void> {
  const rnd = mulberry32(seed);
  const contacts = (await db('contacts as c')
    .join('accounts as a', 'a.id', 'c.account_id')
    .orderBy('c.id')
    .select('c.id', 'a.owner_id', 'a.industry', 'a.region', 'a.company_size', 'c.seniority')) as {
    id: number;
    owner_id: string;
    industry: string | null;
    region: string | null;
    company_size: string;
    seniority: string | null;
  }[];
  if (contacts.length === 0) throw new Error('seedPastAsks needs contacts: import a directory first');
  // A shuffled popularity order: the first contacts in it get most of the asks.
  const popular = [...contacts];
  for (let i = popular.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [popular[i], popular[j]] = [popular[j]!, popular[i]!];
  }
  const twoYears = 730 * DAY_MS;
  const at = (ms: number) => new Date(ms).toISOString();
  const day = (ms: number) => at(ms).slice(0, 10);
  // Oldest first, so ids follow time; the last OPEN_REQUESTS are recent and still open.
  const times = Array.from({ length: asks }, () => now.getTime() - Math.floor(rnd() * twoYears)).sort(
    (a, b) => a - b,
  );
  const plans = times.map((createdAt, i) => {
    const open = i >= asks - Math.min(OPEN_REQUESTS, asks);
    const contact = popular[Math.floor(weighted(rnd, POPULARITY) * rnd() * popular.length)]!;
    const answer0: RequestStatus = open ? 'awaiting_owner' : weighted(rnd, FINISHED);
    const approvedAt = Math.min(createdAt + Math.floor(rnd() * 2 * DAY_MS), now.getTime());
    const answeredAt = Math.min(approvedAt + Math.floor(rnd() * 4 * DAY_MS), now.getTime());
    const neededBy = createdAt + int(rnd, 7, 30) * DAY_MS;
    // An agreed reference whose date has passed was followed up: it happened (rated) or it did not.
    const followedUp = answer0 === 'agreed' && neededBy + DAY_MS < now.getTime();
    const held = followedUp && rnd() < 0.85;
    const status: RequestStatus = followedUp ? (held ? 'completed' : 'not_held') : answer0;
    const prospect = `Prospect ${int(rnd, 1, PROSPECTS)}`;
    const products = weightedDistinct(rnd, PRODUCTS, int(rnd, 1, 2)).sort();
    const requester = `U0REP${String(int(rnd, 1, REPS)).padStart(4, '0')}`;
    const request = {
      requester_id: requester,
      prospect,
      prospect_key: prospect.toLowerCase(),
      opportunity: `OPP-${String(i + 1).padStart(7, '0')}`,
      amount: int(rnd, 10, 2000) * 1000,
      industry: contact.industry,
      products: JSON.stringify(products),
      region: contact.region,
      company_size: contact.company_size,
      seniority: contact.seniority,
      activity: weighted(rnd, ACTIVITIES),
      needed_by: day(neededBy),
      context: 'Wants to hear how the rollout went and what it took.',
      status,
      closed_by: closedBy(status, requester, pick(rnd, MANAGERS), contact.owner_id),
      closed_at: status === 'awaiting_owner' ? null : at(answeredAt),
      close_reason: status === 'denied' ? 'The contact declined and nobody else fits' : null,
      followup_sent_at: followedUp ? at(neededBy + DAY_MS) : null,
      created_at: at(createdAt),
      updated_at: at(status === 'awaiting_owner' ? approvedAt : answeredAt),
      decided_at: at(approvedAt),
      secured_at: answer0 === 'agreed' ? at(answeredAt) : null,
    };
    const answer = answer0 === 'agreed' ? 'agreed' : answer0 === 'denied' ? 'declined' : null;
    const ask = {
      contact_id: contact.id,
      owner_id: contact.owner_id,
      round: 1,
      approved_by: pick(rnd, MANAGERS),
      approved_at: at(approvedAt),
      note: null,
      answer,
      answered_by: answer ? contact.owner_id : null,
      answered_at: answer ? at(answeredAt) : null,
      rating: held ? int(rnd, 2, 5) : null,
    };
    return { request, ask, products };
  });

  await db.transaction(async (trx) => {
    const before = (await trx('reference_requests').max({ id: 'id' }).first()) as { id: number | null };
    const firstId = Number(before?.id ?? 0);
    await insertAll(
      trx,
      'reference_requests',
      plans.map((p) => p.request),
      REQUEST_COLUMNS,
    );
    // Inside the transaction nobody else inserts, so the new requests are the ids after firstId, in order.
    const requestIds = (
      (await trx('reference_requests').where('id', '>', firstId).orderBy('id').select('id')) as {
        id: number;
      }[]
    ).map((r) => r.id);
    await insertAll(
      trx,
      'request_products',
      plans.flatMap((p, i) =>
        p.products.map((product) => ({
          request_id: requestIds[i]!,
          product,
          created_at: p.request.created_at,
        })),
      ),
      3,
    );
    await insertAll(
      trx,
      'reference_asks',
      plans.map((p, i) => ({ request_id: requestIds[i]!, ...p.ask })),
      ASK_COLUMNS,
    );
    // Each request points at its (only) ask: asks were inserted in the same order.
    const askRows = (await trx('reference_asks')
      .whereIn('request_id', trx('reference_requests').select('id').where('id', '>', firstId))
      .select('id', 'request_id')) as { id: number; request_id: number }[];
    const askOf = new Map(askRows.map((r) => [r.request_id, r.id]));
    await setCurrentAsks(trx, requestIds, askOf);
  });
}

/**
 * request.current_ask_id = its ask. Both id ranges are contiguous and in step, so one update
 * per run of constant offset (usually one in all) does it, portably.
 */
async function setCurrentAsks(db: Db, requestIds: readonly number[], askOf: ReadonlyMap<number, number>) {
  let start = 0;
  while (start < requestIds.length) {
    const offset = askOf.get(requestIds[start]!)! - requestIds[start]!;
    let end = start + 1;
    while (end < requestIds.length && askOf.get(requestIds[end]!)! - requestIds[end]! === offset) end++;
    await db('reference_requests')
      .whereBetween('id', [requestIds[start]!, requestIds[end - 1]!])
      .update({ current_ask_id: db.raw('id + ?', [offset]) });
    start = end;
  }
}

/** The bench's program: 100,000 contacts in 20,000 accounts and 200,000 asks over two years. */
export const BENCH_HISTORY = { contacts: 100_000, accounts: 20_000, asks: 200_000 } as const;

/**
 * Loads the bench's directory and its two years of asks into a migrated, empty database, and says so in
 * one line (with how long it took).
 */
export async function loadBenchHistory(db: Db, seed: number): Promise<void> {
  const { contacts, accounts, asks } = BENCH_HISTORY;
  const setup = performance.now();
  const imported = await new DirectoryImport(db).importCsv(
    generateDirectoryCsv({ contacts, accounts, seed }),
    new Date(),
  );
  if (!imported.ok) throw new Error('the generated directory did not import');
  await seedPastAsks(db, { asks, seed, now: new Date() });
  console.log(
    `Directory: ${contacts.toLocaleString('en')} contacts in ${accounts.toLocaleString('en')} accounts, ` +
      `${asks.toLocaleString('en')} past asks (set up in ${((performance.now() - setup) / 1000).toFixed(1)} s).`,
  );
}
