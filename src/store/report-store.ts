import type { Knex } from 'knex';
import {
  type CapFact,
  type Compared,
  type ComparedDurations,
  type ContactFact,
  type CountedFact,
  type DealFact,
  type DurationStats,
  isFiltered,
  type NominationFacts,
  type OnTimeFact,
  type OutcomeFacts,
  type OwnerStats,
  type ReasonFact,
  type ReportFilters,
  type Segment,
  type SegmentFact,
  type StatusFact,
  type WinRateFacts,
} from '../domain/report.ts';
import type { RequestStatus } from '../domain/request-lifecycle.ts';
import { type Activity, OWNER_DECLINES } from '../domain/vocabulary.ts';
import { type Db, isPostgres, type SqlNumber, sqlNumber } from './database.ts';

const REQUESTS = 'reference_requests';
const ASKS = 'reference_asks';
const OUTCOMES = 'reference_outcomes';
const PRODUCTS = 'request_products';
const OPPORTUNITIES = 'opportunities';
const OPPORTUNITY_PRODUCTS = 'opportunity_products';

/** Two periods back to back: the previous one is [previousFrom, from), the current one [from, to). ISO instants. */
export interface ReportRange {
  previousFrom: string;
  from: string;
  to: string;
}

const day = (iso: string): string => iso.slice(0, 10);

/** `sum(case when <condition> then <value> else 0 end) as <alias>`: one figure of one period. */
const sumIf = (db: Db, alias: string, condition: string, bindings: readonly Knex.Value[], value = '1') =>
  db.raw(`sum(case when ${condition} then ${value} else 0 end) as ${alias}`, [...bindings]);

/** The figure in the current period (the column at or after `from`) and in the previous one (before it). */
const splitAt = (db: Db, column: string, from: string) => [
  sumIf(db, 'cur', `${column} >= ?`, [from]),
  sumIf(db, 'prev', `${column} < ?`, [from]),
];

/** Hours from one ISO time column to another, in SQL. */
const hoursBetween = (db: Db, start: string, end: string) =>
  isPostgres(db)
    ? `(extract(epoch from (${end}::timestamptz - ${start}::timestamptz)) / 3600)::double precision`
    : `((julianday(${end}) - julianday(${start})) * 24)`;

/**
 * Count, median and p90 of `hours` over the rows, in SQL: both databases' percentile_cont (SQLite's is built
 * into better-sqlite3), which interpolates between the two nearest values the same way.
 */
function durationColumns(db: Db, prefix: string, hours: string) {
  return [
    db.raw(`count(*) as ${prefix}_n`),
    db.raw(`${percentile(db, hours, 0.5)} as ${prefix}_median`),
    db.raw(`${percentile(db, hours, 0.9)} as ${prefix}_p90`),
  ];
}

/** The `fraction` percentile of `expression` over the group's rows (nulls left out), interpolated. */
const percentile = (db: Db, expression: string, fraction: number) =>
  isPostgres(db)
    ? `percentile_cont(${fraction}) within group (order by ${expression})`
    : `percentile_cont(${expression}, ${fraction})`;

/** Whole days from one YYYY-MM-DD column to another, in SQL. */
const daysBetween = (db: Db, start: string, end: string) =>
  isPostgres(db) ? `(${end}::date - ${start}::date)` : `(julianday(${end}) - julianday(${start}))`;

/** Hours to the millisecond: both databases' date arithmetic leaves float noise below that. */
const hoursOf = (value: SqlNumber | undefined): number | null =>
  value === null || value === undefined
    ? null
    : Math.max(0, Math.round(Number(value) * 3_600_000) / 3_600_000);

const statsOf = (row: Record<string, SqlNumber> | undefined, prefix: string): DurationStats => ({
  count: sqlNumber(row?.[`${prefix}_n`]),
  medianHours: hoursOf(row?.[`${prefix}_median`]),
  p90Hours: hoursOf(row?.[`${prefix}_p90`]),
});

/**
 * Keeps `subquery` a subquery on SQLite, so the columns it works out are worked out once a row: flattened
 * into the aggregate, `hours` was computed once for each percentile (365 days of answers: 52 -> 40 ms a
 * period, measured). SQLite's way is `LIMIT -1`; PostgreSQL refuses a negative limit and needs none.
 */
const onceARow = (db: Db, subquery: Knex.QueryBuilder): Knex.QueryBuilder =>
  isPostgres(db) ? subquery : subquery.limit(-1);

/**
 * The durations from `start` to `end` of the rows of `query` whose `end` falls in each period: one aggregate
 * per period over its own index range (110 ms for 365 days of 200,000 asks; 150 ms as filtered aggregates
 * over both periods at once).
 */
async function comparedDurations(
  db: Db,
  query: Knex.QueryBuilder,
  r: ReportRange,
  start: string,
  end: string,
): Promise<ComparedDurations> {
  const period = (name: string, from: string, to: string) =>
    db
      .from(
        onceARow(
          db,
          query
            .clone()
            .where(end, '>=', from)
            .where(end, '<', to)
            .select(db.raw(`${hoursBetween(db, start, end)} as hours`)),
        ).as('spans'),
      )
      .select(db.raw(`'${name}' as period`), ...durationColumns(db, 'd', 'hours'));
  const rows = (await db.unionAll([
    period('current', r.from, r.to),
    period('previous', r.previousFrom, r.from),
  ])) as (Record<string, SqlNumber> & { period: string })[];
  const of = (name: string) =>
    statsOf(
      rows.find((row) => row.period === name),
      'd',
    );
  return { current: of('current'), previous: of('previous') };
}

/** Narrows a query on requests (as `r`) to those the filters name. */
function scope(db: Db, query: Knex.QueryBuilder, f: ReportFilters): Knex.QueryBuilder {
  if (f.activity) query.where('r.activity', f.activity);
  if (f.industry) query.where('r.industry', f.industry);
  if (f.region) query.where('r.region', f.region);
  if (f.product)
    query.whereExists(
      db(`${PRODUCTS} as rp`)
        .whereRaw('rp.request_id = r.id')
        .where('rp.product', f.product)
        .select(db.raw('1')),
    );
  if (f.team) query.whereIn('r.requester_id', [...f.team.members]);
  return query;
}

/** The requests (as `r`) the filters name submitted in the two periods. */
const submittedIn = (db: Db, r: ReportRange, f: ReportFilters) =>
  scope(db, db(`${REQUESTS} as r`), f)
    .where('r.created_at', '>=', r.previousFrom)
    .where('r.created_at', '<', r.to);

/** Narrows a query on rows of a request (asks, outcomes, products) to the requests the filters name. */
function scopeByRequest(
  db: Db,
  query: Knex.QueryBuilder,
  column: string,
  f: ReportFilters,
): Knex.QueryBuilder {
  return isFiltered(f) ? query.whereIn(column, scope(db, db(`${REQUESTS} as r`).select('r.id'), f)) : query;
}

/**
 * The SQL of the program report: one query per table of the report, each reading both periods at once
 * and counting in the database (durations come back as one row per span, bounded by the two periods).
 */
export class ReportStore {
  /** Requests submitted in the two periods, by status and activity (one walk of one index for both tables). */
  async statuses(db: Db, r: ReportRange, f: ReportFilters): Promise<StatusFact[]> {
    const rows = (await submittedIn(db, r, f)
      .groupBy('r.status', 'r.activity')
      .select('r.status', 'r.activity', ...splitAt(db, 'r.created_at', r.from))) as {
      status: string;
      activity: string;
      cur: SqlNumber;
      prev: SqlNumber;
    }[];
    return rows.map((row) => ({
      status: row.status as RequestStatus,
      activity: row.activity as Activity,
      current: sqlNumber(row.cur),
      previous: sqlNumber(row.prev),
    }));
  }

  /** Requests submitted in the two periods that an account owner declined (or could not ask) at least once. */
  async ownerDeclined(db: Db, r: ReportRange, f: ReportFilters): Promise<Compared> {
    // An owner answers after the request was submitted: declines answered since the previous period began
    // are all that can concern its requests.
    const declined = db(ASKS).where('answered_at', '>=', r.previousFrom).whereIn('answer', OWNER_DECLINES);
    const row = (await scope(db, db(`${REQUESTS} as r`), f)
      .whereIn('r.id', declined.select('request_id'))
      .where('r.created_at', '>=', r.previousFrom)
      .where('r.created_at', '<', r.to)
      .select(...splitAt(db, 'r.created_at', r.from))
      .first()) as { cur: SqlNumber; prev: SqlNumber } | undefined;
    return { current: sqlNumber(row?.cur), previous: sqlNumber(row?.prev) };
  }

  /** The commonest reasons for denying requests submitted in the current period (case and spaces aside). */
  async denialReasons(db: Db, r: ReportRange, f: ReportFilters, limit: number): Promise<ReasonFact[]> {
    const rows = (await scope(db, db(`${REQUESTS} as r`), f)
      .where({ 'r.status': 'denied' satisfies RequestStatus })
      .where('r.created_at', '>=', r.from)
      .where('r.created_at', '<', r.to)
      .whereNotNull('r.close_reason')
      .groupByRaw('lower(trim(r.close_reason))')
      .select(db.raw('min(r.close_reason) as reason'), db.raw('count(*) as n'))
      .orderByRaw('count(*) desc, min(r.close_reason)')
      .limit(limit)) as { reason: string; n: SqlNumber }[];
    return rows.map((row) => ({ reason: row.reason.trim(), count: sqlNumber(row.n) }));
  }

  /**
   * Requests submitted in the two periods by the prospect's industry, product, region and company size. The
   * first three are counted per combination in one walk of one index (41 ms for 365 days of 200,000 asks,
   * where one query per segment took 100 ms) and summed per segment here.
   */
  async segments(db: Db, r: ReportRange, f: ReportFilters): Promise<SegmentFact[]> {
    const combinations = (await submittedIn(db, r, f)
      .groupBy('r.industry', 'r.region', 'r.company_size')
      .select('r.industry', 'r.region', 'r.company_size', ...splitAt(db, 'r.created_at', r.from))) as {
      industry: string | null;
      region: string | null;
      company_size: string | null;
      cur: SqlNumber;
      prev: SqlNumber;
    }[];
    const products = (await scopeByRequest(db, db(`${PRODUCTS} as p`), 'p.request_id', f)
      .where('p.created_at', '>=', r.previousFrom)
      .where('p.created_at', '<', r.to)
      .groupBy('p.product')
      .select('p.product', ...splitAt(db, 'p.created_at', r.from))) as {
      product: string;
      cur: SqlNumber;
      prev: SqlNumber;
    }[];
    const facts = new Map<string, SegmentFact>();
    const add = (segment: Segment, key: string | null, row: { cur: SqlNumber; prev: SqlNumber }) => {
      if (key === null) return;
      const id = `${segment}\u0000${key}`;
      const fact = facts.get(id) ?? { segment, key, current: 0, previous: 0 };
      fact.current += sqlNumber(row.cur);
      fact.previous += sqlNumber(row.prev);
      facts.set(id, fact);
    };
    for (const row of combinations) {
      add('industry', row.industry, row);
      add('region', row.region, row);
      add('companySize', row.company_size, row);
    }
    for (const row of products) add('product', row.product, row);
    return [...facts.values()];
  }

  /** Every rep who asked in the two periods, with their count in each. */
  async requesters(db: Db, r: ReportRange, f: ReportFilters): Promise<CountedFact<string>[]> {
    const rows = (await submittedIn(db, r, f)
      .groupBy('r.requester_id')
      .select('r.requester_id', ...splitAt(db, 'r.created_at', r.from))) as {
      requester_id: string;
      cur: SqlNumber;
      prev: SqlNumber;
    }[];
    return rows.map((row) => ({
      key: row.requester_id,
      current: sqlNumber(row.cur),
      previous: sqlNumber(row.prev),
    }));
  }

  /** Submitted -> first decision (the first approval, or the denial of a request never approved), by when decided. */
  decisions(db: Db, r: ReportRange, f: ReportFilters): Promise<ComparedDurations> {
    return comparedDurations(db, scope(db, db(`${REQUESTS} as r`), f), r, 'r.created_at', 'r.decided_at');
  }

  /** Approved -> the owner's answer, by when they answered. */
  ownerAnswers(db: Db, r: ReportRange, f: ReportFilters): Promise<ComparedDurations> {
    const asks = scopeByRequest(db, db(`${ASKS} as k`), 'k.request_id', f);
    return comparedDurations(db, asks, r, 'k.approved_at', 'k.answered_at');
  }

  /** Submitted -> the contact secured (the owner said they agreed), by when they agreed. */
  secured(db: Db, r: ReportRange, f: ReportFilters): Promise<ComparedDurations> {
    return comparedDurations(db, scope(db, db(`${REQUESTS} as r`), f), r, 'r.created_at', 'r.secured_at');
  }

  /** The account owners slowest to answer in the current period, by the median of their answers. */
  async slowestOwners(db: Db, r: ReportRange, f: ReportFilters, limit: number): Promise<OwnerStats[]> {
    const hours = hoursBetween(db, 'k.approved_at', 'k.answered_at');
    const rows = (await scopeByRequest(db, db(`${ASKS} as k`), 'k.request_id', f)
      .where('k.answered_at', '>=', r.from)
      .where('k.answered_at', '<', r.to)
      .groupBy('k.owner_id')
      .select('k.owner_id', ...durationColumns(db, 'o', hours))
      .orderByRaw('o_median desc, owner_id')
      .limit(limit)) as (Record<string, SqlNumber> & { owner_id: string })[];
    return rows.map((row) => ({ ownerId: row.owner_id, stats: statsOf(row, 'o') }));
  }

  /**
   * Requests needed by a day of the two periods (the days `from` and `to` fall on start and end them),
   * cancelled ones left out, and how many had a contact secured by that day.
   */
  async onTime(db: Db, r: ReportRange, f: ReportFilters): Promise<OnTimeFact> {
    const securedInTime = 'r.secured_at is not null and substr(r.secured_at, 1, 10) <= r.needed_by';
    const from = day(r.from);
    const row = (await scope(db, db(`${REQUESTS} as r`), f)
      .where('r.needed_by', '>=', day(r.previousFrom))
      .where('r.needed_by', '<', day(r.to))
      .whereNot('r.status', 'cancelled' satisfies RequestStatus)
      .select(
        sumIf(db, 'due_cur', 'r.needed_by >= ?', [from]),
        sumIf(db, 'due_prev', 'r.needed_by < ?', [from]),
        sumIf(db, 'ok_cur', `r.needed_by >= ? and ${securedInTime}`, [from]),
        sumIf(db, 'ok_prev', `r.needed_by < ? and ${securedInTime}`, [from]),
      )
      .first()) as
      | { due_cur: SqlNumber; due_prev: SqlNumber; ok_cur: SqlNumber; ok_prev: SqlNumber }
      | undefined;
    return {
      due: { current: sqlNumber(row?.due_cur), previous: sqlNumber(row?.due_prev) },
      fulfilled: { current: sqlNumber(row?.ok_cur), previous: sqlNumber(row?.ok_prev) },
    };
  }

  /** Requests still waiting (on managers or an owner) needed by a day from `today` to `until`. */
  async dueSoon(db: Db, f: ReportFilters, today: string, until: string): Promise<number> {
    const row = (await scope(db, db(`${REQUESTS} as r`), f)
      .whereIn('r.status', ['submitted', 'awaiting_owner'] satisfies RequestStatus[])
      .where('r.needed_by', '>=', today)
      .where('r.needed_by', '<=', until)
      .count({ n: '*' })
      .first()) as { n: SqlNumber } | undefined;
    return sqlNumber(row?.n);
  }

  /**
   * The contacts asked (approved for a request) most in the current period. The asks are counted per
   * contact first (through the contact's index, in order) and only the top ones are read again for their
   * answers and ratings and joined to their names: doing it all for every contact took 240 ms of a 365-day
   * report on 200,000 asks, this 45 ms (`npm run bench -- reports`).
   */
  async mostAsked(db: Db, r: ReportRange, f: ReportFilters, limit: number): Promise<ContactFact[]> {
    const counted = scopeByRequest(db, db(`${ASKS} as k`), 'k.request_id', f)
      .where('k.approved_at', '>=', r.previousFrom)
      .where('k.approved_at', '<', r.to)
      .groupBy('k.contact_id')
      .select('k.contact_id', ...splitAt(db, 'k.approved_at', r.from))
      .havingRaw('sum(case when k.approved_at >= ? then 1 else 0 end) > 0', [r.from])
      .orderByRaw('cur desc, k.contact_id')
      .limit(limit)
      .as('top');
    const rows = (await scopeByRequest(
      db,
      db.from(counted).join(`${ASKS} as k`, 'k.contact_id', 'top.contact_id'),
      'k.request_id',
      f,
    )
      .join('contacts as c', 'c.id', 'top.contact_id')
      .join('accounts as a', 'a.id', 'c.account_id')
      .where('k.approved_at', '>=', r.from)
      .where('k.approved_at', '<', r.to)
      .groupBy('top.contact_id', 'top.cur', 'top.prev', 'c.name', 'a.name')
      .orderByRaw('top.cur desc, top.contact_id')
      .select(
        'top.contact_id',
        'top.cur',
        'top.prev',
        'c.name',
        'a.name as account',
        db.raw('count(k.answer) as answered'),
        sumIf(db, 'declined', 'k.answer in (?, ?)', OWNER_DECLINES),
        db.raw('sum(k.rating) as rating_sum'),
        db.raw('count(k.rating) as rated'),
      )) as {
      contact_id: number;
      name: string | null;
      account: string;
      cur: SqlNumber;
      prev: SqlNumber;
      answered: SqlNumber;
      declined: SqlNumber;
      rating_sum: SqlNumber;
      rated: SqlNumber;
    }[];
    return rows.map((row) => ({
      contactId: Number(row.contact_id),
      name: row.name,
      account: row.account,
      current: sqlNumber(row.cur),
      previous: sqlNumber(row.prev),
      answered: sqlNumber(row.answered),
      ownerDeclined: sqlNumber(row.declined),
      averageRating: sqlNumber(row.rated) === 0 ? null : sqlNumber(row.rating_sum) / sqlNumber(row.rated),
    }));
  }

  /** Contacts not retired with at least `atLeast` asks since `since`, most asked first, and how many there are. */
  async nearCaps(
    db: Db,
    since: string,
    atLeast: number,
    limit: number,
  ): Promise<{ contacts: CapFact[]; total: number }> {
    // Counted per contact first, then only those at or near the cap are joined to their names.
    const counted = db(`${ASKS} as k`)
      .where('k.approved_at', '>=', since)
      .groupBy('k.contact_id')
      .havingRaw('count(*) >= ?', [atLeast])
      .select('k.contact_id', db.raw('count(*) as asks'))
      .as('n');
    const rows = (await db
      .from(counted)
      .join('contacts as c', 'c.id', 'n.contact_id')
      .join('accounts as a', 'a.id', 'c.account_id')
      .whereNot('c.status', 'retired')
      .select('n.contact_id', 'c.name', 'a.name as account', 'n.asks', db.raw('count(*) over () as total'))
      .orderByRaw('n.asks desc, n.contact_id')
      .limit(limit)) as {
      contact_id: number;
      name: string | null;
      account: string;
      asks: SqlNumber;
      total: SqlNumber;
    }[];
    return {
      contacts: rows.map((row) => ({
        contactId: Number(row.contact_id),
        name: row.name,
        account: row.account,
        asks: sqlNumber(row.asks),
      })),
      total: sqlNumber(rows[0]?.total),
    };
  }

  /** Contacts active now with no ask approved in each period (the other contacts carry the program). */
  async neverAsked(db: Db, r: ReportRange): Promise<Compared> {
    // One walk of the active contacts, probing each one's asks index: 60 ms for 100,000 contacts and 200,000
    // asks, where counting the distinct contacts of a year's asks took 120 ms.
    const notAsked = `not exists (select 1 from ${ASKS} k
      where k.contact_id = c.id and k.approved_at >= ? and k.approved_at < ?)`;
    const row = (await db('contacts as c')
      .where('c.status', 'active')
      .select(
        sumIf(db, 'cur', notAsked, [r.from, r.to]),
        sumIf(db, 'prev', notAsked, [r.previousFrom, r.from]),
      )
      .first()) as { cur: SqlNumber; prev: SqlNumber } | undefined;
    return { current: sqlNumber(row?.cur), previous: sqlNumber(row?.prev) };
  }

  /** Nominations made, accepted and declined in each period; those waiting now, and since before `agingBefore`. */
  async nominations(db: Db, r: ReportRange, agingBefore: string): Promise<NominationFacts> {
    const within = (column: string) => `${column} >= ? and ${column} < ?`;
    const row = (await db('nominations')
      .where((w) =>
        w
          .where('status', 'pending')
          .orWhere((a) => a.where('created_at', '>=', r.previousFrom).where('created_at', '<', r.to))
          .orWhere((a) => a.where('decided_at', '>=', r.previousFrom).where('decided_at', '<', r.to)),
      )
      .select(
        sumIf(db, 'received_cur', within('created_at'), [r.from, r.to]),
        sumIf(db, 'received_prev', within('created_at'), [r.previousFrom, r.from]),
        sumIf(db, 'accepted_cur', `status = 'accepted' and ${within('decided_at')}`, [r.from, r.to]),
        sumIf(db, 'accepted_prev', `status = 'accepted' and ${within('decided_at')}`, [
          r.previousFrom,
          r.from,
        ]),
        sumIf(db, 'declined_cur', `status = 'declined' and ${within('decided_at')}`, [r.from, r.to]),
        sumIf(db, 'declined_prev', `status = 'declined' and ${within('decided_at')}`, [
          r.previousFrom,
          r.from,
        ]),
        sumIf(db, 'pending', "status = 'pending'", []),
        sumIf(db, 'aging', "status = 'pending' and created_at < ?", [agingBefore]),
      )
      .first()) as Record<string, SqlNumber> | undefined;
    const pair = (name: string) => ({
      current: sqlNumber(row?.[`${name}_cur`]),
      previous: sqlNumber(row?.[`${name}_prev`]),
    });
    return {
      received: pair('received'),
      accepted: pair('accepted'),
      declined: pair('declined'),
      pending: sqlNumber(row?.pending),
      aging: sqlNumber(row?.aging),
    };
  }

  /**
   * The imported pipeline's deals closed (won or lost, not removed) on a day from `firstDay` to `lastDay`,
   * with and without a held reference (a request naming the deal's opportunity id whose reference was
   * held): overall and per value of each segment, in one query over the closed deals worked out once.
   * Null when no pipeline is loaded (no opportunity that is not removed).
   */
  async winRate(db: Db, days: { firstDay: string; lastDay: string }): Promise<WinRateFacts | null> {
    const pipeline = (await db(OPPORTUNITIES).whereNull('removed_at').select('currency').first()) as
      | { currency: string }
      | undefined;
    if (!pipeline) return null;
    const held = `exists (select 1 from ${REQUESTS} r join ${OUTCOMES} x on x.request_id = r.id
      where r.opportunity = o.opportunity_id and x.happened = ?)`;
    const span = daysBetween(db, 'o.created_on', 'o.close_date');
    const closed = db(`${OPPORTUNITIES} as o`)
      .whereIn('o.status', ['won', 'lost'])
      .whereNull('o.removed_at')
      .where('o.close_date', '>=', days.firstDay)
      .where('o.close_date', '<=', days.lastDay)
      .select(
        'o.id',
        'o.industry',
        'o.region',
        'o.company_size',
        db.raw(`case when ${held} then 1 else 0 end as held`, [true]),
        db.raw("case when o.status = 'won' then 1 else 0 end as won"),
        db.raw("case when o.status = 'won' then o.amount else 0 end as won_amount"),
        // A close date before the created date is a CRM slip: not a duration.
        db.raw(`case when ${span} >= 0 then ${span} end as days`),
      );
    const figures = (segment: string, value: string) => [
      db.raw(`'${segment}' as segment`),
      db.raw(`${value} as value`),
      'c.held',
      db.raw('count(*) as closed'),
      db.raw('sum(c.won) as won'),
      db.raw('sum(c.won_amount) as won_amount'),
      db.raw('count(c.days) as timed'),
      db.raw(`${percentile(db, 'c.days', 0.5)} as median_days`),
    ];
    const bySegment = (segment: Exclude<Segment, 'product'>, column: string) =>
      db
        .from('closed as c')
        .whereNotNull(`c.${column}`)
        .groupBy(`c.${column}`, 'c.held')
        .select(figures(segment, `c.${column}`));
    const rows = (await db
      .withMaterialized('closed', closed)
      .unionAll([
        db.from('closed as c').groupBy('c.held').select(figures('all', 'cast(null as varchar(75))')),
        bySegment('industry', 'industry'),
        bySegment('region', 'region'),
        bySegment('companySize', 'company_size'),
        db
          .from('closed as c')
          .join(`${OPPORTUNITY_PRODUCTS} as p`, 'p.opportunity_id', 'c.id')
          .groupBy('p.product', 'c.held')
          .select(figures('product', 'p.product')),
      ])) as {
      segment: Segment | 'all';
      value: string | null;
      held: SqlNumber;
      closed: SqlNumber;
      won: SqlNumber;
      won_amount: SqlNumber;
      timed: SqlNumber;
      median_days: SqlNumber;
    }[];
    const deals: DealFact[] = rows.map((row) => ({
      segment: row.segment === 'all' ? null : row.segment,
      key: row.value,
      held: sqlNumber(row.held) === 1,
      closed: sqlNumber(row.closed),
      won: sqlNumber(row.won),
      wonAmount: sqlNumber(row.won_amount),
      timed: sqlNumber(row.timed),
      medianDays: row.median_days === null ? null : Math.round(Number(row.median_days) * 10) / 10,
    }));
    return { currency: pipeline.currency, deals };
  }

  /**
   * What reps reported: references held (by when they were reported) with their ratings and whether
   * they moved the deal, and deals won or lost after a held reference (by when the result was recorded).
   */
  async outcomes(db: Db, r: ReportRange, f: ReportFilters): Promise<OutcomeFacts> {
    const figures: [name: string, column: string, condition: string, value?: string][] = [
      ['held', 'recorded_at', 'happened = ?'],
      ['rating_sum', 'recorded_at', 'happened = ? and rating is not null', 'rating'],
      ['rated', 'recorded_at', 'happened = ? and rating is not null'],
      ['moved', 'recorded_at', "happened = ? and moved_deal = 'yes'"],
      ['moved_answered', 'recorded_at', 'happened = ? and moved_deal is not null'],
      ['won', 'deal_recorded_at', "happened = ? and deal_result = 'won'"],
      ['lost', 'deal_recorded_at', "happened = ? and deal_result = 'lost'"],
      ['won_amount', 'deal_recorded_at', "happened = ? and deal_result = 'won'", 'deal_amount'],
      ['won_priced', 'deal_recorded_at', "happened = ? and deal_result = 'won' and deal_amount is not null"],
    ];
    const columns = figures.flatMap(([name, column, condition, value = '1']) => {
      const within = `${condition} and ${column} >= ? and ${column} < ?`;
      return [
        sumIf(db, `${name}_cur`, within, [true, r.from, r.to], `coalesce(${value}, 0)`),
        sumIf(db, `${name}_prev`, within, [true, r.previousFrom, r.from], `coalesce(${value}, 0)`),
      ];
    });
    const row = ((await scopeByRequest(db, db(OUTCOMES), 'request_id', f)
      .where((w) =>
        w
          .where((a) => a.where('recorded_at', '>=', r.previousFrom).where('recorded_at', '<', r.to))
          .orWhere((a) =>
            a.where('deal_recorded_at', '>=', r.previousFrom).where('deal_recorded_at', '<', r.to),
          ),
      )
      .select(columns)
      .first()) ?? {}) as Record<string, SqlNumber>;
    const pair = (name: string) => ({
      current: sqlNumber(row[`${name}_cur`]),
      previous: sqlNumber(row[`${name}_prev`]),
    });
    return {
      held: pair('held'),
      ratingSum: pair('rating_sum'),
      rated: pair('rated'),
      movedDeal: pair('moved'),
      movedAnswered: pair('moved_answered'),
      won: pair('won'),
      lost: pair('lost'),
      wonAmount: pair('won_amount'),
      wonPriced: pair('won_priced'),
    };
  }
}
