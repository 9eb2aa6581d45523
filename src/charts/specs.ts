import type { TopLevelSpec } from 'vega-lite';

/**
 * Charts as vega-lite specs, built by pure functions so they are tested as data; render.ts draws them.
 * Every chart is CHART_WIDTH px wide on white (it must read in dark mode too), in the shipped font,
 * with its numbers printed on the marks: the picture is read at a glance in Slack, not hovered.
 */
export const CHART_WIDTH = 1200;
/** The family of the font file shipped in assets/fonts/; render.ts loads nothing else. */
export const CHART_FONT = 'Inter';

/** How many weeks the asks-per-week chart shows. */
export const WEEKS_SHOWN = 12;

export interface WeekOfAsks {
  /** The week's first day, YYYY-MM-DD. */
  weekStart: string;
  asks: number;
  fulfilled: number;
}

export type FigureUnit = 'count' | 'share' | 'hours' | 'amount';

/** One headline figure over the last period and the one before it. */
export interface HeadlineFigure {
  label: string;
  current: number;
  previous: number;
  /** count (42), share of 1 (0.64 -> 64%), hours (3.5 h) or amount (1.2M); count by default. */
  unit?: FigureUnit;
}

const INK = '#1d1c1d';
const MUTED = '#616061';
const ASKS_COLOR = '#9bb1c9';
const FULFILLED_COLOR = '#2e7d32';
const BEFORE_COLOR = '#b8bec7';
const NOW_COLOR = '#1264a3';

/** Sizes are for a 1200 px picture that Slack shows at about half that. */
const CONFIG = {
  font: CHART_FONT,
  background: 'white',
  view: { stroke: null },
  title: {
    fontSize: 30,
    fontWeight: 600,
    color: INK,
    subtitleFontSize: 20,
    subtitleColor: MUTED,
    anchor: 'start',
  },
  axis: { labelFontSize: 18, titleFontSize: 18, labelColor: MUTED, titleColor: MUTED, titleFontWeight: 400 },
  legend: { labelFontSize: 20, labelLimit: 0, symbolSize: 300, orient: 'top', title: null },
} as const;

/** Common to every chart: fixed width, white, padding inside the width. */
function frame(height: number) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: CHART_WIDTH,
    height,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 24,
    background: 'white',
    config: CONFIG,
  } as const;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-01-05" -> "5 Jan": the same on every server, whatever its locale or time zone. */
export function weekLabel(weekStart: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(weekStart);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  return match && month ? `${Number(match[3])} ${month}` : weekStart;
}

/** The last WEEKS_SHOWN weeks, oldest first. */
function lastWeeks(weeks: readonly WeekOfAsks[]): WeekOfAsks[] {
  return [...weeks].sort((a, b) => a.weekStart.localeCompare(b.weekStart)).slice(-WEEKS_SHOWN);
}

/** Asks and how many of them were fulfilled, week by week over the last 12 weeks, as grouped bars. */
export function asksPerWeekChart(weeks: readonly WeekOfAsks[]): TopLevelSpec {
  const shown = lastWeeks(weeks);
  const labels = shown.map((w) => weekLabel(w.weekStart));
  const values = shown.flatMap((w, i) => [
    { weekStart: w.weekStart, week: labels[i], series: 'Asks', count: w.asks },
    { weekStart: w.weekStart, week: labels[i], series: 'Fulfilled', count: w.fulfilled },
  ]);
  const range = labels.length > 0 ? `Weeks starting ${labels[0]} to ${labels.at(-1)}` : 'No weeks yet';
  return {
    ...frame(480),
    title: { text: 'Asks and fulfilled, per week', subtitle: range },
    data: { values },
    encoding: {
      x: { field: 'week', type: 'ordinal', sort: labels, title: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'series', type: 'nominal', sort: ['Asks', 'Fulfilled'] },
      y: { field: 'count', type: 'quantitative', title: 'Asks', axis: { format: 'd', tickMinStep: 1 } },
      color: {
        field: 'series',
        type: 'nominal',
        scale: { domain: ['Asks', 'Fulfilled'], range: [ASKS_COLOR, FULFILLED_COLOR] },
      },
    },
    layer: [
      { mark: { type: 'bar', cornerRadiusTopLeft: 3, cornerRadiusTopRight: 3 } },
      {
        mark: { type: 'text', baseline: 'bottom', dy: -4, fontSize: 16, color: INK },
        encoding: { text: { field: 'count', type: 'quantitative' }, color: { value: INK } },
      },
    ],
  };
}

/** What the asks-per-week chart shows, in words, for the image block's alt_text. */
export function asksPerWeekAltText(weeks: readonly WeekOfAsks[]): string {
  const shown = lastWeeks(weeks);
  if (shown.length === 0) return 'Asks and fulfilled per week: no weeks yet.';
  const first = weekLabel(shown[0]!.weekStart);
  const last = weekLabel(shown.at(-1)!.weekStart);
  return (
    `Asks and fulfilled per week, ${shown.length} weeks starting ${first} to ${last}. ` +
    `Asks: ${shown.map((w) => w.asks).join(', ')}. Fulfilled: ${shown.map((w) => w.fulfilled).join(', ')}.`
  );
}

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** A figure as people read it: 1,234 / 64% / 3.5 h / 1.2M. */
export function formatFigure(value: number, unit: FigureUnit = 'count'): string {
  switch (unit) {
    case 'share':
      return `${Math.round(value * 100)}%`;
    case 'hours':
      return `${(Math.round(value * 10) / 10).toString()} h`;
    case 'amount':
      return COMPACT.format(value);
    default:
      return COUNT.format(value);
  }
}

/**
 * A few figures of the last `days` days beside the same figures of the `days` before, one row each.
 * Figures have different units, so each row's bars are scaled to the larger of its two values and
 * the values are printed beside them; the x axis is hidden because it would mean nothing.
 */
export function headlineChart(figures: readonly HeadlineFigure[], days = 90): TopLevelSpec {
  const now = `Last ${days} days`;
  const before = `${days} days before`;
  const values = figures.flatMap((f) => {
    const largest = Math.max(Math.abs(f.current), Math.abs(f.previous));
    const row = (period: string, value: number) => ({
      figure: f.label,
      period,
      value,
      share: largest === 0 ? 0 : Math.abs(value) / largest,
      text: formatFigure(value, f.unit),
    });
    return [row(before, f.previous), row(now, f.current)];
  });
  return {
    ...frame(Math.max(1, figures.length) * 96),
    title: { text: `Last ${days} days against the ${days} before`, subtitle: 'Each row is scaled to itself' },
    data: { values },
    encoding: {
      y: {
        field: 'figure',
        type: 'nominal',
        sort: figures.map((f) => f.label),
        title: null,
        axis: {
          labelFontSize: 20,
          labelColor: INK,
          labelLimit: 360,
          labelPadding: 12,
          ticks: false,
          domain: false,
        },
      },
      yOffset: { field: 'period', type: 'nominal', sort: [before, now] },
      x: { field: 'share', type: 'quantitative', axis: null, scale: { domain: [0, 1.2] } },
      color: {
        field: 'period',
        type: 'nominal',
        scale: { domain: [before, now], range: [BEFORE_COLOR, NOW_COLOR] },
      },
    },
    layer: [
      { mark: { type: 'bar', cornerRadiusEnd: 3 } },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 8, fontSize: 18 },
        encoding: { text: { field: 'text', type: 'nominal' }, color: { value: INK } },
      },
    ],
  };
}

/** What the headline chart shows, in words, for the image block's alt_text. */
export function headlineAltText(figures: readonly HeadlineFigure[], days = 90): string {
  const parts = figures.map(
    (f) => `${f.label} ${formatFigure(f.current, f.unit)} (before: ${formatFigure(f.previous, f.unit)})`,
  );
  return `Last ${days} days against the ${days} before: ${parts.join('; ') || 'no figures'}.`;
}
