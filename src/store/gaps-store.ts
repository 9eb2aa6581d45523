import type { Knex } from 'knex';
import type {
  ActivityFact,
  DemandFact,
  GapFacts,
  GapGrain,
  GapWindow,
  PipelineFact,
  SupplyFact,
  UnmetReason,
} from '../domain/gaps.ts';
import type { ProgramRules } from '../domain/program-rules.ts';
import type { RequestStatus } from '../domain/request-lifecycle.ts';
import {
  type Activity,
  NO_SUITABLE_REFERENCE,
  type OwnerAnswer,
  type Seniority,
} from '../domain/vocabulary.ts';
import type { Db } from './database.ts';

const OPPORTUNITIES = 'opportunities';
const OPPORTUNITY_PRODUCTS = 'opportunity_products';
const REQUESTS = 'reference_requests';
const REQUEST_PRODUCTS = 'request_products';
const ASKS = 'reference_asks';
const ACCOUNTS = 'accounts';
const ACCOUNT_PRODUCTS = 'account_products';
const CONTACTS = 'contacts';
const CONTACT_ACTIVITIES = 'contact_activities';

const OPEN_STATUSES: RequestStatus[] = ['submitted', 'awaiting_owner'];
const DECLINES: OwnerAnswer[] = ['declined', 'cannot_ask'];

type Num = number | string | null;
const num = (value: Num | undefined): number => Number(value ?? 0);

interface GrainRow {
  industry: string | null;
  region: string | null;
  company_size: string | null;
  product?: string | null;
}

const grainOf = (row: GrainRow): GapGrain => ({
  industry: row.industry,
  region: row.region,
  companySize: row.company_size,
  product: row.product ?? null,
});

/** The grain's columns of `alias`, and the product column when counting per product. */
const grainColumns = (alias: string, product: string | null) => [
  `${alias}.industry`,
  `${alias}.region`,
  `${alias}.company_size`,
  ...(product ? [`${product} as product`] : []),
];
const groupColumns = (alias: string, product: string | null) => [
  `${alias}.industry`,
  `${alias}.region`,
  `${alias}.company_size`,
  ...(product ? [product] : []),
];

/**
 * Why a request (as `r`) submitted lately went unmet, or null: not while it is open or once its contact was
 * secured; then the first of no eligible contact, denied as "No suitable reference", every owner asked
 * declined, expired (the order of UNMET_REASONS).
 */
function unmetReasonSql(db: Db): Knex.Raw {
  const key = NO_SUITABLE_REFERENCE.toLowerCase();
  const ask = `select 1 from ${ASKS} k where k.request_id = r.id`;
  return db.raw(
    `case
      when r.status in (?, ?) or r.secured_at is not null then null
      when r.no_match_at is not null then 'no_match'
      when r.status = 'denied' and (lower(trim(r.close_reason)) = ? or lower(trim(r.close_reason)) like ?)
        then 'no_suitable_reference'
      when exists (${ask}) and not exists (${ask} and (k.answer is null or k.answer not in (?, ?)))
        then 'all_declined'
      when r.status = 'expired' then 'expired'
    end as unmet_reason`,
    [...OPEN_STATUSES, key, `${key}:%`, ...DECLINES],
  );
}

/**
 * The SQL of the coverage gaps: each query counts at the finest grain (industry, region, company size, and
 * product for the product-split ones), which the domain rolls up to segments. Two queries per measure: one
 * counting each opportunity, request or contact once, one counting it once per product.
 */
export class GapsStore {
  /** Everything `buildGaps` needs, one query after another (SQLite has one connection). */
  async facts(db: Db, w: GapWindow, rules: ProgramRules): Promise<GapFacts> {
    const currencies = await this.currencies(db);
    const pipeline = [...(await this.pipeline(db, w, false)), ...(await this.pipeline(db, w, true))];
    const demand = [...(await this.demand(db, w, false)), ...(await this.demand(db, w, true))];
    const supply = [...(await this.supply(db, w, rules, false)), ...(await this.supply(db, w, rules, true))];
    const activities = [...(await this.activities(db, false)), ...(await this.activities(db, true))];
    return {
      pipelineLoaded: currencies.length > 0,
      currency: currencies[0] ?? null,
      pipeline,
      demand,
      supply,
      activities,
    };
  }

  /** The currencies of the opportunities not removed, the commonest first (an import keeps them to one). */
  async currencies(db: Db): Promise<string[]> {
    const rows = (await db(OPPORTUNITIES)
      .whereNull('removed_at')
      .groupBy('currency')
      .select('currency', db.raw('count(*) as n'))
      .orderByRaw('count(*) desc, currency')) as { currency: string; n: Num }[];
    return rows.map((row) => row.currency);
  }

  /** Opportunities not removed: open count and amount, and how many were created in the two 90-day spans. */
  async pipeline(db: Db, w: GapWindow, byProduct: boolean): Promise<PipelineFact[]> {
    const product = byProduct ? 'op.product' : null;
    const query = db(`${OPPORTUNITIES} as o`).whereNull('o.removed_at');
    if (byProduct) query.join(`${OPPORTUNITY_PRODUCTS} as op`, 'op.opportunity_id', 'o.id');
    const rows = (await query
      .groupBy(groupColumns('o', product))
      .select(
        ...grainColumns('o', product),
        db.raw(`sum(case when o.status = 'open' then 1 else 0 end) as open_n`),
        db.raw(`sum(case when o.status = 'open' then o.amount else 0 end) as open_amount`),
        db.raw('sum(case when o.created_on > ? and o.created_on <= ? then 1 else 0 end) as recent', [
          w.recentAfter,
          w.today,
        ]),
        db.raw('sum(case when o.created_on > ? and o.created_on <= ? then 1 else 0 end) as earlier', [
          w.previousAfter,
          w.recentAfter,
        ]),
      )) as (GrainRow & { open_n: Num; open_amount: Num; recent: Num; earlier: Num })[];
    return rows.map((row) => ({
      ...grainOf(row),
      openCount: num(row.open_n),
      openAmount: num(row.open_amount),
      createdRecently: num(row.recent),
      createdBefore: num(row.earlier),
    }));
  }

  /** Requests submitted since `asksSince`, by grain and unmet reason. */
  async demand(db: Db, w: GapWindow, byProduct: boolean): Promise<DemandFact[]> {
    const inner = byProduct
      ? db(`${REQUEST_PRODUCTS} as rp`)
          .join(`${REQUESTS} as r`, 'r.id', 'rp.request_id')
          .where('rp.created_at', '>=', w.asksSince)
          .select(...grainColumns('r', 'rp.product'), unmetReasonSql(db))
      : db(`${REQUESTS} as r`)
          .where('r.created_at', '>=', w.asksSince)
          .select(...grainColumns('r', null), unmetReasonSql(db));
    const product = byProduct ? 'd.product' : null;
    const rows = (await db
      .from(inner.as('d'))
      .groupBy([...groupColumns('d', product), 'd.unmet_reason'])
      .select(...grainColumns('d', product), 'd.unmet_reason', db.raw('count(*) as n'))) as (GrainRow & {
      unmet_reason: UnmetReason | null;
      n: Num;
    })[];
    return rows.map((row) => ({ ...grainOf(row), unmetReason: row.unmet_reason, asks: num(row.n) }));
  }

  /** Active contacts by their account's grain and their seniority, with the asks they can still take. */
  async supply(db: Db, w: GapWindow, rules: ProgramRules, byProduct: boolean): Promise<SupplyFact[]> {
    const product = byProduct ? 'ap.product' : null;
    const used = db(ASKS)
      .where('approved_at', '>=', w.rulesSince)
      .groupBy('contact_id')
      .select('contact_id', db.raw('count(*) as n'));
    const max = rules.maxAsksPerContact;
    const query = activeContacts(db, byProduct).leftJoin(used.as('u'), 'u.contact_id', 'c.id');
    const rows = (await query.groupBy([...groupColumns('a', product), 'c.seniority']).select(
      ...grainColumns('a', product),
      'c.seniority',
      db.raw('count(*) as contacts'),
      // capacityLeft in SQL: max(0, maxAsksPerContact - asks in the window), summed.
      db.raw('sum(case when coalesce(u.n, 0) < ? then ? - coalesce(u.n, 0) else 0 end) as capacity', [
        max,
        max,
      ]),
      db.raw('sum(case when coalesce(u.n, 0) < ? then 1 else 0 end) as able', [max]),
    )) as (GrainRow & { seniority: Seniority | null; contacts: Num; capacity: Num; able: Num })[];
    return rows.map((row) => ({
      ...grainOf(row),
      seniority: row.seniority,
      contacts: num(row.contacts),
      capacityLeft: num(row.capacity),
      contactsWithCapacity: num(row.able),
    }));
  }

  /** Active contacts by their account's grain and each activity they agreed to. */
  async activities(db: Db, byProduct: boolean): Promise<ActivityFact[]> {
    const product = byProduct ? 'ap.product' : null;
    const rows = (await activeContacts(db, byProduct)
      .join(`${CONTACT_ACTIVITIES} as ca`, 'ca.contact_id', 'c.id')
      .groupBy([...groupColumns('a', product), 'ca.activity'])
      .select(...grainColumns('a', product), 'ca.activity', db.raw('count(*) as n'))) as (GrainRow & {
      activity: Activity;
      n: Num;
    })[];
    return rows.map((row) => ({ ...grainOf(row), activity: row.activity, contacts: num(row.n) }));
  }
}

/** Active contacts (as `c`) with their account (as `a`), and its products (as `ap`) when split by product. */
function activeContacts(db: Db, byProduct: boolean): Knex.QueryBuilder {
  const query = db(`${CONTACTS} as c`)
    .join(`${ACCOUNTS} as a`, 'a.id', 'c.account_id')
    .where('c.status', 'active');
  if (byProduct) query.join(`${ACCOUNT_PRODUCTS} as ap`, 'ap.account_id', 'a.id');
  return query;
}
