import type { RequestStatus } from '../../src/domain/request-lifecycle.ts';
import type { Activity, ContactStatus, OwnerAnswer, Seniority } from '../../src/domain/vocabulary.ts';
import type { Db } from '../../src/store/database.ts';
import { prospectKey } from '../../src/store/request-store.ts';

/** Rows written straight with knex, for store and service tests that need a directory and its usage. */

export const SEEDED_AT = '2026-11-01T09:00:00.000Z';

export interface AccountSeed {
  name: string;
  industry?: string | null;
  region?: string | null;
  companySize?: string;
  ownerId?: string;
  products?: string[];
  at?: string;
}

export async function insertAccount(db: Db, a: AccountSeed): Promise<number> {
  const at = a.at ?? SEEDED_AT;
  const [row] = (await db('accounts')
    .insert({
      account_key: `name:${a.name.toLowerCase()}`,
      external_id: null,
      name: a.name,
      industry: a.industry ?? null,
      region: a.region ?? null,
      company_size: a.companySize ?? '1000-4999',
      owner_id: a.ownerId ?? 'U0OWNER01',
      created_at: at,
      updated_at: at,
    })
    .returning('id')) as { id: number }[];
  const id = row!.id;
  if (a.products?.length) {
    await db('account_products').insert(a.products.map((product) => ({ account_id: id, product })));
  }
  return id;
}

export interface ContactSeed {
  name: string | null;
  email?: string;
  title?: string | null;
  seniority?: Seniority | null;
  customerSince?: string | null;
  status?: ContactStatus;
  pausedUntil?: string | null;
  pauseReason?: string | null;
  activities?: Activity[];
  at?: string;
}

let emails = 0;

export async function insertContact(db: Db, accountId: number, c: ContactSeed): Promise<number> {
  const at = c.at ?? SEEDED_AT;
  const [row] = (await db('contacts')
    .insert({
      account_id: accountId,
      email: c.email ?? `contact${++emails}@example.com`,
      name: c.name,
      title: c.title ?? null,
      seniority: c.seniority ?? null,
      customer_since: c.customerSince ?? null,
      status: c.status ?? 'active',
      paused_until: c.pausedUntil ?? null,
      pause_reason: c.pauseReason ?? null,
      notes: null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')) as { id: number }[];
  const id = row!.id;
  const activities = c.activities ?? ['reference_call'];
  if (activities.length > 0) {
    await db('contact_activities').insert(activities.map((activity) => ({ contact_id: id, activity })));
  }
  return id;
}

export interface RequestSeed {
  prospect?: string;
  status?: RequestStatus;
  neededBy?: string;
  activity?: Activity;
  at?: string;
}

export async function insertRequest(db: Db, r: RequestSeed = {}): Promise<number> {
  const at = r.at ?? SEEDED_AT;
  const prospect = r.prospect ?? 'Initech';
  const [row] = (await db('reference_requests')
    .insert({
      requester_id: 'U0REP0001',
      prospect,
      prospect_key: prospectKey(prospect),
      activity: r.activity ?? 'reference_call',
      needed_by: r.neededBy ?? '2026-12-31',
      context: 'Context',
      status: r.status ?? 'submitted',
      created_at: at,
      updated_at: at,
    })
    .returning('id')) as { id: number }[];
  return row!.id;
}

export interface AskSeed {
  requestId: number;
  contactId: number;
  approvedAt: string;
  answer?: OwnerAnswer | null;
  rating?: number | null;
  /** Make it the request's current ask (the default). */
  current?: boolean;
}

export async function insertAsk(db: Db, k: AskSeed): Promise<number> {
  const previous = (await db('reference_asks')
    .where({ request_id: k.requestId })
    .max({ round: 'round' })
    .first()) as { round: number | null } | undefined;
  const [row] = (await db('reference_asks')
    .insert({
      request_id: k.requestId,
      contact_id: k.contactId,
      owner_id: 'U0OWNER01',
      round: (previous?.round ?? 0) + 1,
      approved_by: 'U0MGR0001',
      approved_at: k.approvedAt,
      note: null,
      answer: k.answer ?? null,
      answered_at: k.answer ? k.approvedAt : null,
      answered_by: k.answer ? 'U0OWNER01' : null,
      rating: k.rating ?? null,
    })
    .returning('id')) as { id: number }[];
  const id = row!.id;
  if (k.current ?? true)
    await db('reference_requests').where({ id: k.requestId }).update({ current_ask_id: id });
  return id;
}

/** A request in `status` with one ask of the contact, approved at `approvedAt`. */
export async function askFor(
  db: Db,
  contactId: number,
  approvedAt: string,
  r: RequestSeed & { answer?: OwnerAnswer | null; rating?: number | null } = {},
): Promise<{ requestId: number; askId: number }> {
  const requestId = await insertRequest(db, { status: 'awaiting_owner', ...r });
  const askId = await insertAsk(db, {
    requestId,
    contactId,
    approvedAt,
    answer: r.answer ?? null,
    rating: r.rating ?? null,
  });
  return { requestId, askId };
}

/**
 * Changes an account or contact as refdesk's writers do: the row carries the directory revision
 * that the writer's bump (the test's next `bump(db, 'directory')`) makes current.
 */
export async function editDirectoryRow(
  db: Db,
  table: 'accounts' | 'contacts',
  id: number,
  patch: Record<string, unknown>,
): Promise<void> {
  const current = (await db('refdesk_revisions').where({ name: 'directory' }).first('value')) as {
    value: number | string;
  };
  await db(table)
    .where({ id })
    .update({ ...patch, revision: Number(current.value) + 1 });
}
