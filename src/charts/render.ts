import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderAsync } from '@resvg/resvg-js';
import { parse, type Spec, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CHART_FONT, CHART_WIDTH } from './specs.ts';
import { measureTextAsInter } from './text-widths.ts';

/** A chart drawn as a PNG. */
export interface ChartPicture {
  png: Buffer;
  width: number;
  height: number;
}

const FONT_FILES = ['Inter-Regular.ttf', 'Inter-SemiBold.ttf'];

/** assets/fonts/ at the repository root, from src/charts/ (tsx, tests) or dist/src/charts/ (the build). */
function fontsDir(): string {
  for (const up of ['../../', '../../../']) {
    const dir = fileURLToPath(new URL(`${up}assets/fonts/`, import.meta.url));
    if (existsSync(`${dir}${FONT_FILES[0]}`)) return dir;
  }
  throw new Error('assets/fonts/ not found: charts need the shipped font');
}

let fontPaths: string[] | null = null;

/** Only the shipped font, never the system's, so a chart looks the same on every server. */
function resvgOptions() {
  fontPaths ??= FONT_FILES.map((file) => `${fontsDir()}${file}`);
  return {
    background: 'white',
    fitTo: { mode: 'width', value: CHART_WIDTH },
    font: {
      loadSystemFonts: false,
      fontFiles: fontPaths,
      defaultFontFamily: CHART_FONT,
      sansSerifFamily: CHART_FONT,
    },
    logLevel: 'off',
  } as const;
}

/** The spec drawn as SVG by vega, headless (no canvas, no DOM, no network: the data is in the spec). */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  measureTextAsInter();
  const view = new View(parse(compile(spec).spec as Spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Draws a chart to PNG: vega lays it out as SVG on this thread (the JS part, about 10 ms warm),
 * resvg rasterises it on libuv's thread pool (renderAsync), so the event loop keeps acking Slack.
 * Call it from the delivery worker or a job, never while a Slack request waits for its ack.
 *
 * Measured on the shared 2-core dev machine (Node 20, the 12-week asks chart, 1200 x 480 px, ~50 KB PNG,
 * other test suites running): cold first render ~220-400 ms (modules, fonts); warm 80-150 ms each, median
 * of 20 (vega ~35-55 ms of it on this thread, resvg text layout ~10 ms, raster ~25 ms, PNG encode ~15 ms).
 * RSS: 207 MB before 20 renders back to back, 231 MB after, 244 MB after 200 more: resvg's memory is
 * native (V8 does not count it) and is freed with each image, so it does not grow per render.
 */
export async function renderChart(spec: TopLevelSpec): Promise<ChartPicture> {
  const svg = await chartSvg(spec);
  const image = await renderAsync(svg, resvgOptions());
  return { png: image.asPng(), width: image.width, height: image.height };
}
