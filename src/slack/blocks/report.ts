import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { contactName } from '../../domain/reference.ts';
import {
  AGING_NOMINATION_DAYS,
  type Compared,
  type DealFigures,
  type DurationStats,
  dueSoonUntil,
  isFiltered,
  PERIOD_CHOICE_KEYS,
  PERIOD_CHOICES,
  type PeriodChoiceKey,
  type ProgramReport,
  REPORT_STATUSES,
  type ReportStatus,
  SEGMENTS,
  type Segment,
  SMALL_SAMPLE,
  type WinRateSection,
  type WithWithout,
} from '../../domain/report.ts';
import { ACTIVITIES, ACTIVITY_KEYS, activityLabel } from '../../domain/vocabulary.ts';
import { REPORT_FIELDS, REPORT_FILTERS, type ReportFilterField, VIEWS } from '../ids.ts';
import { escapeText, formatAmount, mention, slackTime, truncate } from '../mrkdwn.ts';
import { context, divider, header, input, LIMIT, option, plain, section } from './kit.ts';

/** What the report modal remembers: the period it shows (and the days of it, to start the date pickers from). */
export const reportMetadataSchema = z.object({
  period: z.enum(PERIOD_CHOICE_KEYS),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type ReportMetadata = z.infer<typeof reportMetadataSchema>;

/** What the filters offer: the directory's segment values and the workspace's user groups. */
export interface ReportChoices {
  industries: readonly string[];
  products: readonly string[];
  regions: readonly string[];
  teams: readonly { id: string; name: string }[];
}

/** The value picked in each filter (null: any). */
export type PickedFilters = Record<ReportFilterField, string | null>;

export const NOTHING_PICKED: PickedFilters = {
  activity: null,
  industry: null,
  product: null,
  region: null,
  team: null,
};

/** The "any" choice of every filter. */
export const ANY = 'any';

export interface ReportModal {
  period: PeriodChoiceKey;
  /** What each filter offers (null until read: only the activity then), and what is picked. */
  choices?: ReportChoices | null;
  picked?: PickedFilters;
  /** The days the date pickers start from (shown only when `period` is "dates"). */
  from: string | null;
  to: string | null;
  /** The figures, or null while they are worked out (or until two dates are picked). */
  report: ProgramReport | null;
  /** Said instead of the figures when there are none. */
  note?: string;
}

/** A denial reason is free text: cut before escaping, so the cut never splits an entity. */
const REASON_CHARS = 120;
const NAME_CHARS = 80;

// --- how figures read ---

const count = (n: number) => n.toLocaleString('en-US');

/** "3 (before: 1)". */
const compared = (c: Compared, show: (n: number) => string = count) =>
  `*${show(c.current)}* (before: ${show(c.previous)})`;

/** "45 min", "6 h", "2.5 days". */
export function duration(hours: number | null): string {
  if (hours === null) return '–';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${Number(hours.toFixed(hours < 10 ? 1 : 0))} h`;
  return `${Number((hours / 24).toFixed(1))} days`;
}

const stats = (s: DurationStats) =>
  s.count === 0
    ? 'nothing to measure'
    : `median ${duration(s.medianHours)}, p90 ${duration(s.p90Hours)} (${count(s.count)})`;

const durations = (pair: { current: DurationStats; previous: DurationStats }) =>
  `*${stats(pair.current)}* · before: ${stats(pair.previous)}`;

const percent = (part: number, whole: number) =>
  whole === 0 ? '' : ` (${Math.round((100 * part) / whole)}%)`;

const share = (part: number, whole: number) => `${count(part)} of ${count(whole)}${percent(part, whole)}`;

const money = (amount: number | null) => (amount === null ? '–' : formatAmount(amount));

const rating = (r: number | null) => (r === null ? '–' : r.toFixed(1));

const lines = (items: string[], empty: string) => (items.length === 0 ? `_${empty}_` : items.join('\n'));

/** A figure with what it counts in one plain line under it. */
const figure = (text: string, counts: string): KnownBlock[] => [section(text), context(counts)];

// --- the sections ---

function volumeBlocks(r: ProgramReport): KnownBlock[] {
  const v = r.volume;
  const reasons = v.topDenialReasons.map(
    (x) => `“${escapeText(truncate(x.reason, REASON_CHARS))}” (${count(x.count)})`,
  );
  const statusLine = (status: ReportStatus) => {
    const line = `• ${REPORT_STATUSES[status]}: ${compared(v.byStatus[status])}`;
    return status === 'denied' && reasons.length > 0
      ? `${line}\n    Top reasons: ${reasons.join(', ')}`
      : line;
  };
  return [
    header('Volume'),
    ...figure(
      [
        `*Asks submitted:* ${compared(v.total)}`,
        ...(Object.keys(REPORT_STATUSES) as ReportStatus[]).map(statusLine),
        `• Declined by an account owner at least once: ${compared(v.ownerDeclined)}`,
      ].join('\n'),
      'Counts asks submitted in the period, by where they stand now. Fulfilled: an account owner secured the contact. Declined by an owner: the owner declined or could not ask (a manager may then have approved another contact).',
    ),
    ...figure(
      `*By activity*\n${lines(
        v.byActivity.map((a) => `${activityLabel(a.key)}: ${compared(a)}`),
        'no asks',
      )}`,
      'Counts asks submitted in the period, by the activity asked for.',
    ),
    ...figure(
      `*By segment*\n${(Object.keys(SEGMENTS) as Segment[])
        .map(
          (segment) =>
            `${SEGMENTS[segment]}: ${
              v.bySegment[segment]
                .map((x) => `${escapeText(truncate(x.key, NAME_CHARS))} ${compared(x)}`)
                .join(', ') || '_none given_'
            }`,
        )
        .join('\n')}`,
      "Counts asks submitted in the period by the prospect's industry, product, region and company size as reps gave them; the five commonest of each.",
    ),
    ...figure(
      `*Top requesting reps*\n${lines(
        v.topReps.map((rep, i) => `${i + 1}. ${mention(rep.key)}: ${compared(rep)}`),
        'no asks',
      )}`,
      'Counts asks each rep submitted in the period; the five who asked most.',
    ),
    ...figure(
      `*Top requesting teams*\n${lines(
        v.topTeams.map(
          (team, i) => `${i + 1}. ${escapeText(truncate(team.key.name, NAME_CHARS))}: ${compared(team)}`,
        ),
        'no team asked',
      )}`,
      'Counts asks the members of each Slack user group submitted in the period; the five groups that asked most (a rep in two groups counts in both).',
    ),
  ];
}

function turnaroundBlocks(r: ProgramReport, now: Date): KnownBlock[] {
  const t = r.turnaround;
  const onTime = t.onTime;
  return [
    header('Turnaround'),
    ...figure(
      `*Submitted → decided:* ${durations(t.toDecision)}`,
      'Turnaround counts asks first approved or denied in the period: from submission to that decision.',
    ),
    ...figure(
      `*Decided → owner answered:* ${durations(t.toOwnerAnswer)}`,
      "Counts account owners' answers given in the period: from a manager's approval to the owner's answer.",
    ),
    ...figure(
      `*Slowest owners to answer*\n${lines(
        t.slowestOwners.map((o, i) => `${i + 1}. ${mention(o.ownerId)}: ${stats(o.stats)}`),
        'no answers',
      )}`,
      "Counts each account owner's answers given in the period; the five slowest by their median.",
    ),
    ...figure(
      `*Submitted → contact secured:* ${durations(t.toSecured)}`,
      'Counts contacts who agreed in the period: from submission to the owner saying they agreed.',
    ),
    ...figure(
      `*Fulfilled by the needed-by date:* *${share(onTime.fulfilled.current, onTime.due.current)}* · before: ${share(
        onTime.fulfilled.previous,
        onTime.due.previous,
      )}`,
      'Counts asks needed by a day in the period (cancelled ones left out) and how many had a contact agreed by that day.',
    ),
    ...figure(
      `*Open now, due within 72 hours:* *${count(t.dueSoon)}*`,
      `Counts asks waiting on a manager or an owner now, needed by ${dueSoonUntil(now)} at the latest, whatever the period.`,
    ),
  ];
}

function contactBlocks(r: ProgramReport): KnownBlock[] {
  const c = r.contacts;
  const who = (x: { name: string | null; account: string }) =>
    `${escapeText(truncate(contactName(x), NAME_CHARS))} (${escapeText(truncate(x.account, NAME_CHARS))})`;
  const more = c.nearCaps.total - c.nearCaps.contacts.length;
  return [
    header('Contacts'),
    ...figure(
      `*Most asked*\n${lines(
        c.mostAsked.map(
          (x, i) =>
            `${i + 1}. ${who(x)}: ${compared(x)} · owner declined ${share(x.ownerDeclined, x.answered)} answered · rating ${rating(x.averageRating)}`,
        ),
        'no contact was asked',
      )}`,
      'Counts asks approved in the period, per contact; the five asked most, with how many of those asks their owner declined or could not ask, and the rating reps gave the references they led to.',
    ),
    ...figure(
      `*At or near their cap:* *${count(c.nearCaps.total)}*\n${lines(
        [
          ...c.nearCaps.contacts.map(
            (x) =>
              `• ${who(x)}: ${count(x.asks)} of ${count(c.cap)}${x.asks >= c.cap ? ' (at the cap)' : ''}`,
          ),
          ...(more > 0 ? [`…and ${count(more)} more`] : []),
        ],
        'nobody',
      )}`,
      `Counts contacts (not retired) asked ${count(c.nearThreshold)} times or more in the last ${count(c.windowDays)} days, now; the program's cap is ${count(c.cap)}.`,
    ),
    ...figure(
      `*Active contacts not asked:* ${compared(c.neverAsked)}`,
      'Counts contacts active now who were not approved for any ask in the period.',
    ),
  ];
}

function outcomeBlocks(r: ProgramReport): KnownBlock[] {
  const o = r.outcomes;
  return [
    header('Outcomes'),
    ...figure(
      [
        `*References held:* ${compared(o.held)}`,
        `*Average rating:* *${rating(o.averageRating.current)}* of 5 from ${count(o.rated.current)} (before: ${rating(o.averageRating.previous)} from ${count(o.rated.previous)})`,
        `*Moved the deal:* *${share(o.movedDeal.current, o.movedAnswered.current)}* (before: ${share(o.movedDeal.previous, o.movedAnswered.previous)})`,
      ].join('\n'),
      'Counts references reps reported as held in the period; "moved the deal" is out of those whose rep answered the question ("too early" counts as no).',
    ),
    ...figure(
      [
        `*Deals after a reference:* *${count(o.won.current)} won, ${count(o.lost.current)} lost* (before: ${count(o.won.previous)} won, ${count(o.lost.previous)} lost)`,
        `*Influenced revenue, as reported by reps:* ${compared(o.influencedRevenue, formatAmount)}`,
        `*Average won deal:* *${money(o.averageDealSize.current)}* (before: ${money(o.averageDealSize.previous)})`,
      ].join('\n'),
      'Counts deal results recorded in the period for deals a held reference helped; influenced revenue is the amount of those won and the average is over those with an amount, as reps reported them.',
    ),
  ];
}

/** "45 days", "1 day". */
const days = (n: number) => `${Number(n.toFixed(1))} ${n === 1 ? 'day' : 'days'}`;

/** "*60%* won (6 of 10) · average won *USD 120,000* · median *45 days* to close (10) · _small sample_". */
function dealLine(d: DealFigures, currency: string): string {
  if (d.closed === 0) return '_no closed deals_';
  const rate = `*${Math.round(100 * (d.winRate ?? 0))}%* won (${count(d.won)} of ${count(d.closed)})`;
  const size =
    d.averageWon === null
      ? 'no won deal'
      : `average won *${currency} ${formatAmount(Math.round(d.averageWon))}*`;
  const time =
    d.medianDays === null
      ? 'no dates to time'
      : `median *${days(d.medianDays)}* to close (${count(d.timed)})`;
  return [rate, size, time, ...(d.smallSample ? ['_small sample_'] : [])].join(' · ');
}

const sides = (w: WithWithout, currency: string, indent = '') =>
  `${indent}With a held reference: ${dealLine(w.withReference, currency)}\n${indent}Without: ${dealLine(w.withoutReference, currency)}`;

function winRateBlocks(w: WinRateSection, filtered: boolean): KnownBlock[] {
  const span = `${w.firstDay} – ${w.lastDay}`;
  const segment = (s: Segment) =>
    figure(
      `*Win rate by ${SEGMENTS[s].toLowerCase()}*\n${lines(
        w.bySegment[s].map(
          (x) =>
            `*${escapeText(truncate(x.key, NAME_CHARS))}* (${count(x.closed)} closed)\n${sides(x, w.currency, '    ')}`,
        ),
        'none given',
      )}`,
      `The ${SEGMENTS[s].toLowerCase()} values with the most deals closed ${span}, as the pipeline gives them.`,
    );
  return [
    header('Win rate with vs without a reference'),
    ...figure(
      [
        `*Deals closed ${span}*`,
        sides(w.overall, w.currency),
        `*Influenced revenue, from the pipeline:* *${w.currency} ${formatAmount(w.influencedRevenue.amount)}* in ${count(w.influencedRevenue.deals)} won ${w.influencedRevenue.deals === 1 ? 'deal' : 'deals'} with a held reference`,
      ].join('\n'),
      [
        `Counts deals of the imported pipeline closed (won or lost) ${span}: the trailing 12 months, whatever the period picked; removed deals left out.`,
        "With a held reference: an ask named the deal's opportunity id and its rep reported the reference held.",
        'Win rate is won of closed; the average is over won deals; days run from created to close.',
        `Under ${SMALL_SAMPLE} deals is a small sample: read it as an anecdote, not a trend.`,
        ...(filtered ? ["The report's filters do not apply here: this is about deals, not asks."] : []),
      ].join(' '),
    ),
    ...(Object.keys(SEGMENTS) as Segment[]).flatMap(segment),
  ];
}

function nominationBlocks(r: ProgramReport): KnownBlock[] {
  const n = r.nominations;
  return [
    header('Nominations'),
    ...figure(
      [
        `*Received:* ${compared(n.received)}`,
        `*Accepted:* ${compared(n.accepted)} · *Declined:* ${compared(n.declined)}`,
        `*Waiting now:* *${count(n.pending)}*, of which *${count(n.aging)}* for over ${AGING_NOMINATION_DAYS} days`,
      ].join('\n'),
      'Counts nominations reps made in the period and those managers accepted or declined in it; waiting is now, whatever the period.',
    ),
  ];
}

// --- the modal ---

function pickerBlocks(m: ReportModal): KnownBlock[] {
  const choice = option(PERIOD_CHOICES[m.period], m.period);
  const blocks: KnownBlock[] = [
    {
      ...input(REPORT_FIELDS.period.block, 'Period', {
        type: 'static_select',
        action_id: REPORT_FIELDS.period.action,
        options: PERIOD_CHOICE_KEYS.map((key) => option(PERIOD_CHOICES[key], key)),
        initial_option: choice,
      }),
      // Picking a period re-renders the report at once.
      dispatch_action: true,
    },
  ];
  blocks.push(...filterBlocks(m.choices ?? null, m.picked ?? NOTHING_PICKED));
  if (m.period === 'dates') {
    for (const [field, label, initial] of [
      [REPORT_FIELDS.from, 'First day', m.from],
      [REPORT_FIELDS.to, 'Last day', m.to],
    ] as const) {
      blocks.push(
        input(field.block, label, {
          type: 'datepicker',
          action_id: field.action,
          ...(initial ? { initial_date: initial } : {}),
        }),
      );
    }
  }
  return blocks;
}

const MAX_OPTIONS = 100;

/** One filter: "any" first, then the values; picking one re-renders the report at once. */
function filterSelect(
  field: ReportFilterField,
  label: string,
  values: readonly { text: string; value: string }[],
  picked: string | null,
): KnownBlock[] {
  if (values.length === 0) return [];
  const options = [
    option(`Any ${label.toLowerCase()}`, ANY),
    ...values.slice(0, MAX_OPTIONS - 1).map((v) => option(v.text, v.value)),
  ];
  const { block, action } = REPORT_FIELDS[field];
  return [
    {
      ...input(block, label, {
        type: 'static_select',
        action_id: action,
        options,
        initial_option: options.find((o) => o.value === picked) ?? options[0]!,
      }),
      dispatch_action: true,
    },
  ];
}

function filterBlocks(choices: ReportChoices | null, picked: PickedFilters): KnownBlock[] {
  const plainValues = (values: readonly string[]) => values.map((v) => ({ text: v, value: v }));
  const values: Record<ReportFilterField, { text: string; value: string }[]> = {
    activity: ACTIVITY_KEYS.map((key) => ({ text: ACTIVITIES[key], value: key })),
    industry: plainValues(choices?.industries ?? []),
    product: plainValues(choices?.products ?? []),
    region: plainValues(choices?.regions ?? []),
    team: (choices?.teams ?? []).map((t) => ({ text: t.name, value: t.id })),
  };
  const labels: Record<ReportFilterField, string> = {
    activity: 'Activity',
    industry: 'Industry',
    product: 'Product',
    region: 'Region',
    team: 'Team',
  };
  return REPORT_FILTERS.flatMap((field) => filterSelect(field, labels[field], values[field], picked[field]));
}

/** The filters a report applies, in words; null when it counts every ask. */
function filterLine(r: ProgramReport): string | null {
  const f = r.filters;
  const parts = [
    f.activity && `activity ${activityLabel(f.activity)}`,
    f.industry && `industry ${escapeText(truncate(f.industry, NAME_CHARS))}`,
    f.product && `product ${escapeText(truncate(f.product, NAME_CHARS))}`,
    f.region && `region ${escapeText(truncate(f.region, NAME_CHARS))}`,
    f.team && `team ${escapeText(truncate(f.team.name, NAME_CHARS))}`,
  ].filter((part): part is string => Boolean(part));
  if (parts.length === 0) return null;
  return `*Only asks with ${parts.join(', ')}.* Contacts at or near their cap, active contacts not asked and nominations are about the whole program: the filters do not apply to them.`;
}

/** The values a report was worked out with, as the filters' picks. */
export const pickedOf = (r: ProgramReport): PickedFilters => ({
  activity: r.filters.activity,
  industry: r.filters.industry,
  product: r.filters.product,
  region: r.filters.region,
  team: r.filters.team?.id ?? null,
});

function periodLine(r: ProgramReport): string {
  const { current, previous } = r.periods;
  const days = `${current.firstDay} – ${current.lastDay}`;
  const dates = current.label.includes('–') ? '' : ` (${days})`;
  return `*${current.label}*${dates}, each figure against the period just before it (${previous.label}). Days are UTC.`;
}

/** The program report: the period picker, then volume, turnaround, contacts and outcomes. */
export function reportModal(m: ReportModal, now: Date): ModalView {
  const r = m.report;
  const body: KnownBlock[] = r
    ? [
        context(periodLine(r)),
        ...(filterLine(r) ? [context(filterLine(r)!)] : []),
        divider(),
        ...volumeBlocks(r),
        divider(),
        ...turnaroundBlocks(r, now),
        divider(),
        ...contactBlocks(r),
        divider(),
        ...outcomeBlocks(r),
        divider(),
        ...(r.winRate ? [...winRateBlocks(r.winRate, isFiltered(r.filters)), divider()] : []),
        ...nominationBlocks(r),
        context(`Worked out ${slackTime(r.at)}.`),
      ]
    : [section(m.note ?? ':hourglass_flowing_sand: Working out the figures…')];
  const metadata: ReportMetadata = { period: m.period, from: m.from, to: m.to };
  return {
    type: 'modal',
    callback_id: VIEWS.report,
    title: plain('Program report', LIMIT.modalTitle),
    submit: plain('Show', LIMIT.modalTitle),
    close: plain('Close', LIMIT.modalTitle),
    private_metadata: JSON.stringify(metadata),
    blocks: [...pickerBlocks(m), ...body].slice(0, LIMIT.modalBlocks),
  };
}
