import type { Knex } from 'knex';
import type {
  CapFact,
  Compared,
  ContactFact,
  CountedFact,
  NominationFacts,
  OnTimeFact,
  OutcomeFacts,
  ReasonFact,
  Segment,
  SegmentFact,
  SpanFact,
  StatusFact,
} from '../domain/report.ts';
import type { RequestStatus } from '../domain/request-lifecycle.ts';
import type { Activity } from '../domain/vocabulary.ts';
import type { Db } from './database.ts';

const REQUESTS = 'reference_requests';
const ASKS = 'reference_asks';
const OUTCOMES = 'reference_outcomes';
const OWNER_DECLINES = ['declined', 'cannot_ask'];

/** Two periods back to back: the previous one is [previousFrom, from), the current one [from, to). ISO instants. */
export interface ReportRange {
  previousFrom: string;
  from: string;
  to: string;
}

type Num = number | string | null;
const num = (value: Num | undefined): number => Number(value ?? 0);
const day = (iso: string): string => iso.slice(0, 10);

/** `sum(case when <condition> then <value> else 0 end) as <alias>`: one figure of one period. */
const sumIf = (db: Db, alias: string, condition: string, bindings: readonly Knex.Value[], value = '1') =>
  db.raw(`sum(case when ${condition} then ${value} else 0 end) as ${alias}`, [...bindings]);

/** The figure in the current period (the column at or after `from`) and in the previous one (before it). */
const splitAt = (db: Db, column: string, from: string) => [
  sumIf(db, 'cur', `${column} >= ?`, [from]),
  sumIf(db, 'prev', `${column} < ?`, [from]),
];

/**
 * The SQL of the program report: one query per table of the report, each reading both periods at once
 * and counting in the database (durations come back as one row per span, bounded by the two periods).
 */
export class ReportStore {
  /** Requests submitted in the two periods, by status, with how many an owner declined at least once. */
  async statuses(db: Db, r: ReportRange): Promise<StatusFact[]> {
    // An owner answers after the request was submitted: declines answered since the previous period began
    // are all that can concern its requests (read through the index on answered_at, joined once).
    const declined = db(ASKS)
      .distinct('request_id')
      .where('answered_at', '>=', r.previousFrom)
      .whereIn('answer', OWNER_DECLINES)
      .as('d');
    const rows = (await db(`${REQUESTS} as r`)
      .leftJoin(declined, 'd.request_id', 'r.id')
      .where('r.created_at', '>=', r.previousFrom)
      .where('r.created_at', '<', r.to)
      .groupBy('r.status')
      .select(
        'r.status',
        ...splitAt(db, 'r.created_at', r.from),
        sumIf(db, 'cur_declined', 'r.created_at >= ? and d.request_id is not null', [r.from]),
        sumIf(db, 'prev_declined', 'r.created_at < ? and d.request_id is not null', [r.from]),
      )) as { status: string; cur: Num; prev: Num; cur_declined: Num; prev_declined: Num }[];
    return rows.map((row) => ({
      status: row.status as RequestStatus,
      current: num(row.cur),
      previous: num(row.prev),
      ownerDeclinedCurrent: num(row.cur_declined),
      ownerDeclinedPrevious: num(row.prev_declined),
    }));
  }

  /** The commonest reasons for denying requests submitted in the current period (case and spaces aside). */
  async denialReasons(db: Db, r: ReportRange, limit: number): Promise<ReasonFact[]> {
    const rows = (await db(REQUESTS)
      .where({ status: 'denied' satisfies RequestStatus })
      .where('created_at', '>=', r.from)
      .where('created_at', '<', r.to)
      .whereNotNull('close_reason')
      .groupByRaw('lower(trim(close_reason))')
      .select(db.raw('min(close_reason) as reason'), db.raw('count(*) as n'))
      .orderByRaw('count(*) desc, min(close_reason)')
      .limit(limit)) as { reason: string; n: Num }[];
    return rows.map((row) => ({ reason: row.reason.trim(), count: num(row.n) }));
  }

  /** Requests submitted in the two periods, by activity. */
  async activities(db: Db, r: ReportRange): Promise<CountedFact<Activity>[]> {
    const rows = (await db(REQUESTS)
      .where('created_at', '>=', r.previousFrom)
      .where('created_at', '<', r.to)
      .groupBy('activity')
      .select('activity', ...splitAt(db, 'created_at', r.from))
      .orderByRaw('cur desc, activity')) as { activity: string; cur: Num; prev: Num }[];
    return rows.map((row) => ({
      key: row.activity as Activity,
      current: num(row.cur),
      previous: num(row.prev),
    }));
  }

  /** Requests submitted in the two periods by the prospect's industry, region and company size (each value once). */
  async segments(db: Db, r: ReportRange): Promise<SegmentFact[]> {
    const columns: [Segment, string][] = [
      ['industry', 'industry'],
      ['region', 'region'],
      ['companySize', 'company_size'],
    ];
    const part = ([segment, column]: [Segment, string]) =>
      db(REQUESTS)
        .where('created_at', '>=', r.previousFrom)
        .where('created_at', '<', r.to)
        .whereNotNull(column)
        .groupBy(column)
        // A literal, not a binding: PostgreSQL cannot tell a bound parameter's type across a union.
        .select(
          db.raw(`'${segment}' as segment`),
          `${column} as value`,
          ...splitAt(db, 'created_at', r.from),
        );
    const rows = (await db.unionAll(columns.map(part))) as {
      segment: Segment;
      value: string;
      cur: Num;
      prev: Num;
    }[];
    return rows.map((row) => ({
      segment: row.segment,
      key: row.value,
      current: num(row.cur),
      previous: num(row.prev),
    }));
  }

  /** The reps who asked most in the current period, with their count in the previous one. */
  async topRequesters(db: Db, r: ReportRange, limit: number): Promise<CountedFact<string>[]> {
    const rows = (await db(REQUESTS)
      .where('created_at', '>=', r.previousFrom)
      .where('created_at', '<', r.to)
      .groupBy('requester_id')
      .select('requester_id', ...splitAt(db, 'created_at', r.from))
      .havingRaw('sum(case when created_at >= ? then 1 else 0 end) > 0', [r.from])
      .orderByRaw('cur desc, requester_id')
      .limit(limit)) as { requester_id: string; cur: Num; prev: Num }[];
    return rows.map((row) => ({ key: row.requester_id, current: num(row.cur), previous: num(row.prev) }));
  }

  /**
   * Submitted -> first decision, for requests first decided in the two periods: the first approval
   * (round 1), or a denial of a request never approved.
   */
  async decisions(db: Db, r: ReportRange): Promise<SpanFact[]> {
    const rows = (await db(`${ASKS} as k`)
      .join(`${REQUESTS} as r`, 'r.id', 'k.request_id')
      .where('k.round', 1)
      .where('k.approved_at', '>=', r.previousFrom)
      .where('k.approved_at', '<', r.to)
      .select('r.created_at as span_start', 'k.approved_at as span_end')
      .unionAll((u) =>
        u
          .from(REQUESTS)
          .where({ status: 'denied' satisfies RequestStatus })
          .whereNull('current_ask_id')
          .where('closed_at', '>=', r.previousFrom)
          .where('closed_at', '<', r.to)
          .select('created_at as span_start', 'closed_at as span_end'),
      )) as { span_start: string; span_end: string }[];
    return rows.map((row) => ({ start: row.span_start, end: row.span_end }));
  }

  /** Owners' answers given in the two periods: approved -> answered, and submitted -> agreed. */
  async ownerAnswers(db: Db, r: ReportRange): Promise<{ answered: SpanFact[]; secured: SpanFact[] }> {
    const rows = (await db(`${ASKS} as k`)
      .join(`${REQUESTS} as r`, 'r.id', 'k.request_id')
      .where('k.answered_at', '>=', r.previousFrom)
      .where('k.answered_at', '<', r.to)
      .select('k.approved_at', 'k.answered_at', 'k.answer', 'k.owner_id', 'r.created_at')) as {
      owner_id: string;
      approved_at: string;
      answered_at: string;
      answer: string;
      created_at: string;
    }[];
    return {
      answered: rows.map((row) => ({ start: row.approved_at, end: row.answered_at, who: row.owner_id })),
      secured: rows
        .filter((row) => row.answer === 'agreed')
        .map((row) => ({ start: row.created_at, end: row.answered_at })),
    };
  }

  /**
   * Requests needed by a day of the two periods (the days `from` and `to` fall on start and end them),
   * cancelled ones left out, and how many had a contact agreed by that day. A request whose contact
   * agreed keeps that ask as its current one (nothing asks again after an agreement).
   */
  async onTime(db: Db, r: ReportRange): Promise<OnTimeFact> {
    const agreedInTime = "k.answer = 'agreed' and substr(k.answered_at, 1, 10) <= r.needed_by";
    const from = day(r.from);
    const row = (await db(`${REQUESTS} as r`)
      .leftJoin(`${ASKS} as k`, 'k.id', 'r.current_ask_id')
      .where('r.needed_by', '>=', day(r.previousFrom))
      .where('r.needed_by', '<', day(r.to))
      .whereNot('r.status', 'cancelled' satisfies RequestStatus)
      .select(
        sumIf(db, 'due_cur', 'r.needed_by >= ?', [from]),
        sumIf(db, 'due_prev', 'r.needed_by < ?', [from]),
        sumIf(db, 'ok_cur', `r.needed_by >= ? and ${agreedInTime}`, [from]),
        sumIf(db, 'ok_prev', `r.needed_by < ? and ${agreedInTime}`, [from]),
      )
      .first()) as { due_cur: Num; due_prev: Num; ok_cur: Num; ok_prev: Num } | undefined;
    return {
      due: { current: num(row?.due_cur), previous: num(row?.due_prev) },
      fulfilled: { current: num(row?.ok_cur), previous: num(row?.ok_prev) },
    };
  }

  /** Requests still waiting (on managers or an owner) needed by a day from `today` to `until`. */
  async dueSoon(db: Db, today: string, until: string): Promise<number> {
    const row = (await db(REQUESTS)
      .whereIn('status', ['submitted', 'awaiting_owner'] satisfies RequestStatus[])
      .where('needed_by', '>=', today)
      .where('needed_by', '<=', until)
      .count({ n: '*' })
      .first()) as { n: Num } | undefined;
    return num(row?.n);
  }

  /**
   * The contacts asked (approved for a request) most in the current period. The asks are counted per
   * contact first and only the top ones are joined to their names: joining every ask of a year to its
   * contact and account took 960 ms (p95) of a 365-day report on 200,000 asks (`npm run bench -- reports`).
   */
  async mostAsked(db: Db, r: ReportRange, limit: number): Promise<ContactFact[]> {
    const counted = db(`${ASKS} as k`)
      .where('k.approved_at', '>=', r.previousFrom)
      .where('k.approved_at', '<', r.to)
      .groupBy('k.contact_id')
      .select(
        'k.contact_id',
        ...splitAt(db, 'k.approved_at', r.from),
        sumIf(db, 'answered', 'k.approved_at >= ? and k.answer is not null', [r.from]),
        sumIf(db, 'declined', 'k.approved_at >= ? and k.answer in (?, ?)', [r.from, ...OWNER_DECLINES]),
        sumIf(db, 'rating_sum', 'k.approved_at >= ? and k.rating is not null', [r.from], 'k.rating'),
        sumIf(db, 'rated', 'k.approved_at >= ? and k.rating is not null', [r.from]),
      )
      .havingRaw('sum(case when k.approved_at >= ? then 1 else 0 end) > 0', [r.from])
      .orderByRaw('cur desc, k.contact_id')
      .limit(limit)
      .as('top');
    const rows = (await db
      .from(counted)
      .join('contacts as c', 'c.id', 'top.contact_id')
      .join('accounts as a', 'a.id', 'c.account_id')
      .orderByRaw('top.cur desc, top.contact_id')
      .select('top.*', 'c.name', 'a.name as account')) as {
      contact_id: number;
      name: string | null;
      account: string;
      cur: Num;
      prev: Num;
      answered: Num;
      declined: Num;
      rating_sum: Num;
      rated: Num;
    }[];
    return rows.map((row) => ({
      contactId: Number(row.contact_id),
      name: row.name,
      account: row.account,
      current: num(row.cur),
      previous: num(row.prev),
      answered: num(row.answered),
      ownerDeclined: num(row.declined),
      averageRating: num(row.rated) === 0 ? null : num(row.rating_sum) / num(row.rated),
    }));
  }

  /** Contacts not retired with at least `atLeast` asks since `since`, most asked first, and how many there are. */
  async nearCaps(
    db: Db,
    since: string,
    atLeast: number,
    limit: number,
  ): Promise<{ contacts: CapFact[]; total: number }> {
    const rows = (await db(`${ASKS} as k`)
      .join('contacts as c', 'c.id', 'k.contact_id')
      .join('accounts as a', 'a.id', 'c.account_id')
      .where('k.approved_at', '>=', since)
      .whereNot('c.status', 'retired')
      .groupBy('k.contact_id', 'c.name', 'a.name')
      .havingRaw('count(*) >= ?', [atLeast])
      .select(
        'k.contact_id',
        'c.name',
        'a.name as account',
        db.raw('count(*) as asks'),
        db.raw('count(*) over () as total'),
      )
      .orderByRaw('asks desc, k.contact_id')
      .limit(limit)) as { contact_id: number; name: string | null; account: string; asks: Num; total: Num }[];
    return {
      contacts: rows.map((row) => ({
        contactId: Number(row.contact_id),
        name: row.name,
        account: row.account,
        asks: num(row.asks),
      })),
      total: num(rows[0]?.total),
    };
  }

  /** Contacts active now with no ask approved in each period (the other contacts carry the program). */
  async neverAsked(db: Db, r: ReportRange): Promise<Compared> {
    // Active contacts less those asked: reads the period's asks, not every contact's.
    const asked = (from: string, to: string) =>
      db(`${ASKS} as k`)
        .join('contacts as c', 'c.id', 'k.contact_id')
        .where('c.status', 'active')
        .where('k.approved_at', '>=', from)
        .where('k.approved_at', '<', to)
        .countDistinct({ n: 'k.contact_id' });
    const row = (await db
      .select({
        active: db('contacts').where('status', 'active').count('*'),
        cur: asked(r.from, r.to),
        prev: asked(r.previousFrom, r.from),
      })
      .first()) as { active: Num; cur: Num; prev: Num } | undefined;
    const active = num(row?.active);
    return { current: active - num(row?.cur), previous: active - num(row?.prev) };
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
      .first()) as Record<string, Num> | undefined;
    const pair = (name: string) => ({
      current: num(row?.[`${name}_cur`]),
      previous: num(row?.[`${name}_prev`]),
    });
    return {
      received: pair('received'),
      accepted: pair('accepted'),
      declined: pair('declined'),
      pending: num(row?.pending),
      aging: num(row?.aging),
    };
  }

  /**
   * What reps reported: references held (by when they were reported) with their ratings and whether
   * they moved the deal, and deals won or lost after a held reference (by when the result was recorded).
   */
  async outcomes(db: Db, r: ReportRange): Promise<OutcomeFacts> {
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
    const row = ((await db(OUTCOMES)
      .where((w) =>
        w
          .where((a) => a.where('recorded_at', '>=', r.previousFrom).where('recorded_at', '<', r.to))
          .orWhere((a) =>
            a.where('deal_recorded_at', '>=', r.previousFrom).where('deal_recorded_at', '<', r.to),
          ),
      )
      .select(columns)
      .first()) ?? {}) as Record<string, Num>;
    const pair = (name: string) => ({ current: num(row[`${name}_cur`]), previous: num(row[`${name}_prev`]) });
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
