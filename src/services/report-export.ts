import type {
  DealFigures,
  DurationStats,
  ProgramReport,
  WinRateSection,
  WithWithout,
} from '../domain/report.ts';
import { type CsvValue, csvText } from './csv-cells.ts';
import type { ReportService } from './report-service.ts';

export const REPORT_EXPORT_COLUMNS = ['table', 'item', 'figure', 'current', 'previous'] as const;
type Row = Partial<Record<(typeof REPORT_EXPORT_COLUMNS)[number], CsvValue>>;

/** `--period` of `export report`: 30d, 90d, 365d or quarter, as the report modal's picker offers. */
export const EXPORT_PERIODS = {
  '30d': 'last_30',
  '90d': 'last_90',
  '365d': 'last_365',
  quarter: 'quarter',
} as const;
export type ExportPeriod = keyof typeof EXPORT_PERIODS;

const round = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

/** One figure in both periods; `value` shapes it (averages are rounded to two decimals). */
const compared = (
  table: string,
  item: string,
  figure: string,
  c: { current: number | null; previous: number | null },
  value: (n: number | null) => number | null = (n) => n,
): Row => ({ table, item, figure, current: value(c.current), previous: value(c.previous) });

function durations(item: string, d: { current: DurationStats; previous: DurationStats }): Row[] {
  const both = (figure: (stats: DurationStats) => number | null) => ({
    current: figure(d.current),
    previous: figure(d.previous),
  });
  return [
    compared(
      'turnaround',
      item,
      'median_hours',
      both((stats) => stats.medianHours),
      round,
    ),
    compared(
      'turnaround',
      item,
      'p90_hours',
      both((stats) => stats.p90Hours),
      round,
    ),
    compared(
      'turnaround',
      item,
      'count',
      both((stats) => stats.count),
    ),
  ];
}

/** One side of a with-vs-without comparison: closed, won, win rate, average won deal, median days, small sample. */
function dealRows(table: string, item: string, side: string, d: DealFigures): Row[] {
  const row = (figure: string, current: CsvValue): Row => ({
    table,
    item,
    figure: `${side}_${figure}`,
    current,
  });
  return [
    row('closed', d.closed),
    row('won', d.won),
    row('win_rate', round(d.winRate)),
    row('won_amount', d.wonAmount),
    row('average_won_deal', round(d.averageWon)),
    row('timed', d.timed),
    row('median_days_to_close', d.medianDays),
    row('small_sample', d.smallSample ? 'yes' : 'no'),
  ];
}

const withWithoutRows = (table: string, item: string, w: WithWithout): Row[] => [
  ...dealRows(table, item, 'with_reference', w.withReference),
  ...dealRows(table, item, 'without_reference', w.withoutReference),
];

/**
 * The win rate with vs without a held reference: deals closed in the trailing 12 months (whatever the
 * period, no filter), amounts in the pipeline's currency.
 */
function winRateRows(w: WinRateSection): Row[] {
  return [
    {
      table: 'win_rate',
      item: 'closed_between',
      figure: 'trailing_12_months',
      current: w.firstDay,
      previous: w.lastDay,
    },
    { table: 'win_rate', item: 'currency', figure: w.currency },
    ...withWithoutRows('win_rate', 'all', w.overall),
    {
      table: 'win_rate',
      item: 'influenced_revenue_from_pipeline',
      figure: 'amount',
      current: w.influencedRevenue.amount,
    },
    {
      table: 'win_rate',
      item: 'influenced_revenue_from_pipeline',
      figure: 'deals',
      current: w.influencedRevenue.deals,
    },
    ...Object.entries(w.bySegment).flatMap(([segment, values]) =>
      values.flatMap((v) => withWithoutRows(`win_rate_by_${segment}`, v.key, v)),
    ),
  ];
}

/** Every table of the report as rows of (table, item, figure, current, previous): one long table for BI tools. */
export function reportRows(r: ProgramReport): Row[] {
  const { volume, turnaround, contacts, outcomes, nominations } = r;
  const contact = (name: string | null, account: string) => `${name ?? 'Erased contact'} (${account})`;
  return [
    {
      table: 'period',
      item: 'current',
      figure: r.periods.current.label,
      current: r.periods.current.from,
      previous: r.periods.current.to,
    },
    {
      table: 'period',
      item: 'previous',
      figure: r.periods.previous.label,
      current: r.periods.previous.from,
      previous: r.periods.previous.to,
    },
    compared('volume', 'all', 'asks', volume.total),
    ...Object.entries(volume.byStatus).map(([status, c]) => compared('volume_by_status', status, 'asks', c)),
    compared('volume', 'owner_declined', 'asks', volume.ownerDeclined),
    ...volume.topDenialReasons.map((d) => ({
      table: 'denial_reasons',
      item: d.reason,
      figure: 'asks',
      current: d.count,
    })),
    ...volume.byActivity.map((a) => compared('volume_by_activity', a.key, 'asks', a)),
    ...Object.entries(volume.bySegment).flatMap(([segment, facts]) =>
      facts.map((f) => compared(`volume_by_${segment}`, f.key, 'asks', f)),
    ),
    ...volume.topReps.map((rep) => compared('top_reps', rep.key, 'asks', rep)),
    ...durations('submitted_to_decided', turnaround.toDecision),
    ...durations('decided_to_owner_answer', turnaround.toOwnerAnswer),
    ...durations('submitted_to_secured', turnaround.toSecured),
    compared('turnaround', 'needed_by_in_period', 'asks', turnaround.onTime.due),
    compared('turnaround', 'secured_by_needed_by', 'asks', turnaround.onTime.fulfilled),
    { table: 'turnaround', item: 'open_due_within_72_hours', figure: 'asks', current: turnaround.dueSoon },
    ...turnaround.slowestOwners.map((o) => ({
      table: 'slowest_owners',
      item: o.ownerId,
      figure: 'median_hours',
      current: round(o.stats.medianHours),
    })),
    ...contacts.mostAsked.map((c) => compared('most_asked_contacts', contact(c.name, c.account), 'asks', c)),
    ...contacts.nearCaps.contacts.map((c) => ({
      table: 'contacts_near_cap',
      item: contact(c.name, c.account),
      figure: `asks_in_${contacts.windowDays}_days`,
      current: c.asks,
    })),
    compared('contacts', 'active_never_asked', 'contacts', contacts.neverAsked),
    compared('outcomes', 'references_held', 'references', outcomes.held),
    compared('outcomes', 'average_rating', 'stars', outcomes.averageRating, round),
    compared('outcomes', 'moved_the_deal', 'references', outcomes.movedDeal),
    compared('outcomes', 'deals_won', 'deals', outcomes.won),
    compared('outcomes', 'deals_lost', 'deals', outcomes.lost),
    compared('outcomes', 'influenced_revenue_as_reported_by_reps', 'amount', outcomes.influencedRevenue),
    compared('outcomes', 'average_won_deal', 'amount', outcomes.averageDealSize, round),
    compared('nominations', 'received', 'nominations', nominations.received),
    compared('nominations', 'accepted', 'nominations', nominations.accepted),
    compared('nominations', 'declined', 'nominations', nominations.declined),
    { table: 'nominations', item: 'waiting_now', figure: 'nominations', current: nominations.pending },
    { table: 'nominations', item: 'waiting_over_7_days', figure: 'nominations', current: nominations.aging },
    ...(r.winRate ? winRateRows(r.winRate) : []),
  ];
}

/** `npm run refdesk -- export report --period 90d`: the report's tables as one CSV. */
export class ReportExport {
  constructor(private readonly reports: ReportService) {}

  async writeCsv(period: ExportPeriod, write: (chunk: string) => Promise<void>): Promise<number> {
    const report = await this.reports.programReport({ period: EXPORT_PERIODS[period] });
    const rows = reportRows(report);
    await write(csvText(rows, REPORT_EXPORT_COLUMNS, true));
    return rows.length;
  }
}
