import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
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
 * Draws a chart to PNG on the calling thread, synchronously but for vega's promise. refdesk calls it only on
 * the chart thread (render.ts), where blocking holds up no one; resvg's async render on libuv's pool cost
 * ~10 MB more RSS over 20 charts there (measured).
 */
export async function drawChart(spec: TopLevelSpec): Promise<ChartPicture> {
  const svg = await chartSvg(spec);
  const image = new Resvg(svg, resvgOptions()).render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
