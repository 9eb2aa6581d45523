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
 * Draws a chart to PNG, one at a time per process. vega lays it out as SVG on this thread (35-55 ms
 * of JS, which holds the event loop that long); resvg rasterises it on libuv's thread pool (renderAsync).
 * So call it from the delivery worker or a job, never while a Slack request waits for its ack.
 *
 * Measured on the shared 2-core dev machine (Node 20, the 12-week asks chart, 1200 x 480 px, ~50 KB PNG)
 * while other test suites ran (load 4-5): cold first render 220-400 ms (modules, fonts); warm, median of
 * 20 back to back, 83 ms at the quietest and 156-199 ms at load 5 (p95 190-265 ms).
 * RSS (tsx process): 187 MB before 20 renders, 210-217 MB after, flat at 245-255 MB from 100 to 600.
 * resvg's pixels (~2.3 MB a chart) are native memory that V8 does not count: they are freed only when V8
 * collects the image object. vega's own garbage makes V8 collect after every chart, which keeps RSS flat;
 * 100 resvg renders alone, in a loop with no JS garbage, took RSS from 219 to 505 MB. Keep the two together.
 */
export function renderChart(spec: TopLevelSpec): Promise<ChartPicture> {
  const picture = queue.then(() => draw(spec));
  queue = picture.catch(() => undefined);
  return picture;
}

/** One chart at a time per process, so the renderer's native memory is one picture's (~2.5 MB of pixels). */
let queue: Promise<unknown> = Promise.resolve();

async function draw(spec: TopLevelSpec): Promise<ChartPicture> {
  const svg = await chartSvg(spec);
  const image = await renderAsync(svg, resvgOptions());
  return { png: image.asPng(), width: image.width, height: image.height };
}
