/** The chart thread's entry (render.ts starts it): draws each spec it is sent and posts back the PNG or why not. */
import { parentPort } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { drawChart } from './draw.ts';

export type DrawAnswer =
  | { ok: true; png: Uint8Array; width: number; height: number }
  | { ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('draw-worker.ts runs as a worker thread (render.ts starts it)');

port.on('message', async (spec: TopLevelSpec) => {
  let answer: DrawAnswer;
  try {
    const picture = await drawChart(spec);
    answer = { ok: true, png: picture.png, width: picture.width, height: picture.height };
  } catch (error) {
    answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
