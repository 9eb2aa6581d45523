import { describe, expect, it } from 'vitest';
import {
  asksPerWeekAltText,
  asksPerWeekChart,
  CHART_FONT,
  CHART_WIDTH,
  formatFigure,
  headlineAltText,
  headlineChart,
  weekLabel,
} from '../../src/charts/specs.ts';

/** The parts of a spec the tests read; vega-lite's own type is a union too wide to index. */
interface SpecData {
  width: number;
  background: string;
  autosize: unknown;
  config: { font: string };
  title: { text: string; subtitle: string };
  data: { values: Record<string, unknown>[] };
  encoding: Record<string, { field?: string; sort?: unknown; scale?: { domain?: unknown } }>;
  layer: { mark: { type: string } }[];
}
const read = (spec: unknown) => spec as SpecData;

/** 14 weeks, given newest first: the chart keeps the last 12, oldest first. */
const weeks = Array.from({ length: 14 }, (_, i) => {
  const day = new Date(Date.UTC(2026, 8, 7 + 7 * i)).toISOString().slice(0, 10);
  return { weekStart: day, asks: 10 + i, fulfilled: 5 + i };
}).reverse();

describe('asksPerWeekChart', () => {
  const spec = read(asksPerWeekChart(weeks));

  it('shows asks and fulfilled for each of the last 12 weeks, oldest first', () => {
    expect(spec.data.values).toHaveLength(24);
    expect(spec.data.values.slice(0, 2)).toEqual([
      { weekStart: '2026-09-21', week: '21 Sep', series: 'Asks', count: 12 },
      { weekStart: '2026-09-21', week: '21 Sep', series: 'Fulfilled', count: 7 },
    ]);
    expect(spec.data.values.at(-1)).toEqual({
      weekStart: '2026-12-07',
      week: '7 Dec',
      series: 'Fulfilled',
      count: 18,
    });
    expect(spec.encoding.x?.sort).toHaveLength(12);
    expect(spec.encoding.x?.sort).toEqual(expect.arrayContaining(['21 Sep', '7 Dec']));
  });

  it('draws grouped bars with the numbers printed on them, asks beside fulfilled', () => {
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['bar', 'text']);
    expect(spec.encoding.xOffset?.field).toBe('series');
    expect(spec.encoding.y?.field).toBe('count');
    expect(spec.encoding.color?.scale?.domain).toEqual(['Asks', 'Fulfilled']);
    expect(spec.title).toEqual({
      text: 'Asks and fulfilled, per week',
      subtitle: 'Weeks starting 21 Sep to 7 Dec',
    });
  });

  it('is 1200 px wide on white in the shipped font', () => {
    expect(spec).toMatchObject({ width: CHART_WIDTH, background: 'white', config: { font: CHART_FONT } });
    expect(spec.autosize).toEqual({ type: 'fit', contains: 'padding' });
  });

  it('has no bars and says so when there are no weeks', () => {
    const empty = read(asksPerWeekChart([]));
    expect(empty.data.values).toEqual([]);
    expect(empty.title.subtitle).toBe('No weeks yet');
  });

  it('states the numbers in its alt text', () => {
    const few = weeks.slice(-2).reverse();
    expect(asksPerWeekAltText(few)).toBe(
      'Asks and fulfilled per week, 2 weeks starting 7 Sep to 14 Sep. Asks: 10, 11. Fulfilled: 5, 6.',
    );
    expect(asksPerWeekAltText(weeks).length).toBeLessThan(2000);
  });
});

describe('headlineChart', () => {
  const figures = [
    { label: 'Asks', current: 142, previous: 118 },
    { label: 'Fulfilled', current: 0.64, previous: 0.8, unit: 'share' as const },
    { label: 'Influenced revenue', current: 0, previous: 0, unit: 'amount' as const },
  ];
  const spec = read(headlineChart(figures));

  it('has a row per figure, the 90 days before beside the last 90, scaled to the larger of the two', () => {
    expect(spec.data.values).toEqual([
      { figure: 'Asks', period: '90 days before', value: 118, share: 118 / 142, text: '118' },
      { figure: 'Asks', period: 'Last 90 days', value: 142, share: 1, text: '142' },
      { figure: 'Fulfilled', period: '90 days before', value: 0.8, share: 1, text: '80%' },
      { figure: 'Fulfilled', period: 'Last 90 days', value: 0.64, share: 0.64 / 0.8, text: '64%' },
      { figure: 'Influenced revenue', period: '90 days before', value: 0, share: 0, text: '0' },
      { figure: 'Influenced revenue', period: 'Last 90 days', value: 0, share: 0, text: '0' },
    ]);
    expect(spec.encoding.y?.sort).toEqual(['Asks', 'Fulfilled', 'Influenced revenue']);
    expect(spec.encoding.yOffset?.sort).toEqual(['90 days before', 'Last 90 days']);
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['bar', 'text']);
    expect(spec).toMatchObject({ width: CHART_WIDTH, background: 'white', config: { font: CHART_FONT } });
  });

  it('names another period when asked, and states the numbers in its alt text', () => {
    expect(read(headlineChart(figures, 30)).title.text).toBe('Last 30 days against the 30 before');
    expect(headlineAltText(figures)).toBe(
      'Last 90 days against the 90 before: Asks 142 (before: 118); Fulfilled 64% (before: 80%); ' +
        'Influenced revenue 0 (before: 0).',
    );
  });
});

describe('figures and labels', () => {
  it.each([
    [1234.4, 'count', '1,234'],
    [0.645, 'share', '65%'],
    [3.46, 'hours', '3.5 h'],
    [1_250_000, 'amount', '1.3M'],
    [870_000, 'amount', '870K'],
  ] as const)('formats %s as %s: %s', (value, unit, text) => {
    expect(formatFigure(value, unit)).toBe(text);
  });

  it('labels a week by its first day, the same in every time zone', () => {
    expect(weekLabel('2026-01-05')).toBe('5 Jan');
    expect(weekLabel('not a date')).toBe('not a date');
  });
});
