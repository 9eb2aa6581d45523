import { afterEach, describe, expect, it, vi } from 'vitest';
import { chartSvg } from '../../src/charts/draw.ts';
import { ChartRenderer, renderChart } from '../../src/charts/render.ts';
import { asksPerWeekChart, CHART_WIDTH, headlineChart } from '../../src/charts/specs.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image size a PNG declares in its header chunk (IHDR, always first). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const weeks = Array.from({ length: 12 }, (_, i) => ({
  weekStart: new Date(Date.UTC(2026, 8, 7 + 7 * i)).toISOString().slice(0, 10),
  asks: 20 + ((i * 7) % 13),
  fulfilled: 12 + ((i * 5) % 9),
}));

describe('renderChart', () => {
  it('draws the asks-per-week chart as a real PNG, 1200 px wide', async () => {
    const picture = await renderChart(asksPerWeekChart(weeks));
    const size = pngSize(picture.png);
    expect(size).toEqual({ width: CHART_WIDTH, height: picture.height });
    expect(picture.width).toBe(CHART_WIDTH);
    expect(picture.height).toBeGreaterThan(300);
    // 1200 x 480 of bars, labels and text, compressed: far more than an empty picture's few KB.
    expect(picture.png.length).toBeGreaterThan(20_000);
  });

  it('lays the chart out as SVG text in the shipped font, numbers included', async () => {
    const svg = await chartSvg(asksPerWeekChart(weeks));
    expect(svg).toMatch(/^<svg [^>]*width="1200"/);
    expect(svg).toContain('font-family="Inter"');
    expect(svg).toContain('>Asks and fulfilled, per week<');
    expect(svg).toContain('>23 Nov<');
  });

  it('draws the headline chart too', async () => {
    const picture = await renderChart(
      headlineChart([
        { label: 'Asks', current: 142, previous: 118 },
        { label: 'Fulfilled', current: 0.64, previous: 0.58, unit: 'share' },
      ]),
    );
    expect(pngSize(picture.png).width).toBe(CHART_WIDTH);
  });

  it('draws charts asked for at once one after another, and one that fails does not stop the next', async () => {
    const broken = { mark: 'no-such-mark' } as unknown as Parameters<typeof renderChart>[0];
    const [first, failed, last] = await Promise.allSettled([
      renderChart(asksPerWeekChart(weeks.slice(0, 3))),
      renderChart(broken),
      renderChart(asksPerWeekChart(weeks)),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(failed.status).toBe('rejected');
    expect(last.status === 'fulfilled' && pngSize(last.value.png).width).toBe(CHART_WIDTH);
  });
});

describe('ChartRenderer', () => {
  const renderers: ChartRenderer[] = [];
  const renderer = (options: ConstructorParameters<typeof ChartRenderer>[0]) => {
    const made = new ChartRenderer(options);
    renderers.push(made);
    return made;
  };
  afterEach(async () => {
    await Promise.all(renderers.splice(0).map((r) => r.stop()));
  });

  it('draws on a thread it starts on demand and stops when idle', async () => {
    const charts = renderer({ idleMs: 50 });
    expect(charts.running).toBe(false);
    const picture = await charts.render(asksPerWeekChart(weeks));
    expect(pngSize(picture.png).width).toBe(CHART_WIDTH);
    expect(charts.running).toBe(true);
    await vi.waitFor(() => expect(charts.running).toBe(false), { timeout: 5_000 });
    // and starts again for the next chart
    expect(pngSize((await charts.render(asksPerWeekChart(weeks))).png).width).toBe(CHART_WIDTH);
  });

  it('gives up a chart not drawn in time and stops its thread (the next chart starts a new one)', async () => {
    const charts = renderer({ timeoutMs: 1 });
    await expect(charts.render(asksPerWeekChart(weeks))).rejects.toThrow('chart not drawn within 1 ms');
    expect(charts.running).toBe(false);
    await expect(charts.render(asksPerWeekChart(weeks))).rejects.toThrow('chart not drawn within 1 ms');
  });
});
