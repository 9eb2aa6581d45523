import type { Worker } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { startWorker } from '../worker-thread.ts';
import type { ChartPicture } from './draw.ts';
import type { DrawAnswer } from './draw-worker.ts';

export type { ChartPicture } from './draw.ts';

export interface ChartRendererOptions {
  /** The thread stops after this long without a chart, giving its memory back (default 30 s). */
  idleMs?: number;
  /** A chart not drawn by then is given up and the thread replaced (default 30 s; a warm one takes ~60-130 ms). */
  timeoutMs?: number;
}

/**
 * Draws charts on a thread of their own, so vega's layout (35-55 ms of JS per chart, 200-400 ms for the
 * first) never holds the event loop that acks Slack. One chart at a time: resvg's pixels (~2.3 MB a
 * chart) are native memory V8 does not count, so the renderer holds one picture's at most. The thread
 * starts on the first chart and stops when idle: charts are drawn a few times a day, and an idle
 * thread would keep its memory (~75 MB RSS) for nothing.
 */
export class ChartRenderer {
  readonly #idleMs: number;
  readonly #timeoutMs: number;
  #worker: Worker | null = null;
  #idle: NodeJS.Timeout | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: ChartRendererOptions = {}) {
    this.#idleMs = options.idleMs ?? 30_000;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Draws `spec` as a PNG after the charts asked for before it; a chart that fails does not stop the next. */
  render(spec: TopLevelSpec): Promise<ChartPicture> {
    const picture = this.#queue.then(() => this.#draw(spec));
    this.#queue = picture.catch(() => undefined);
    return picture;
  }

  /** Whether the chart thread is up (it starts on demand and stops when idle). */
  get running(): boolean {
    return this.#worker !== null;
  }

  async stop(): Promise<void> {
    clearTimeout(this.#idle);
    const worker = this.#worker;
    this.#worker = null;
    await worker?.terminate();
  }

  #draw(spec: TopLevelSpec): Promise<ChartPicture> {
    clearTimeout(this.#idle);
    const worker = this.#start();
    worker.ref();
    return new Promise<ChartPicture>((resolve, reject) => {
      const settle = (error: Error | null, picture?: ChartPicture) => {
        clearTimeout(timer);
        worker.off('message', onAnswer).off('error', onError).off('exit', onExit);
        if (error) reject(error);
        else resolve(picture as ChartPicture);
      };
      const onAnswer = (answer: DrawAnswer) =>
        answer.ok
          ? settle(null, { png: Buffer.from(answer.png), width: answer.width, height: answer.height })
          : settle(new Error(answer.message));
      // #start's own listeners forget a thread that failed or stopped; these fail the chart it was drawing.
      const onError = (error: Error) => settle(error);
      const onExit = (code: number) => settle(new Error(`the chart thread stopped (exit code ${code})`));
      const timer = setTimeout(() => {
        settle(new Error(`chart not drawn within ${this.#timeoutMs} ms`));
        this.#forget(worker);
        void worker.terminate();
      }, this.#timeoutMs);
      worker.on('message', onAnswer).on('error', onError).on('exit', onExit);
      worker.postMessage(spec);
    }).finally(() => {
      worker.unref();
      if (this.#worker === worker) this.#idle = setTimeout(() => void this.stop(), this.#idleMs).unref();
    });
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    // Small heaps keep the thread's memory near its live data (vega's modules and one chart): 20 charts
    // back to back took the process from 51 to 126-132 MB RSS, against 155 MB with V8's default heap sizes,
    // at the same speed. A runaway spec kills the thread, not the bot: that chart fails, the next starts anew.
    const options = { resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } };
    const language = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
    const worker = startWorker(new URL(`./draw-worker.${language}`, import.meta.url), options);
    worker.on('error', () => this.#forget(worker)).on('exit', () => this.#forget(worker));
    this.#worker = worker;
    return worker;
  }

  #forget(worker: Worker): void {
    if (this.#worker === worker) this.#worker = null;
  }
}

const renderer = new ChartRenderer();

/** Draws a chart to PNG on the chart thread (see ChartRenderer). */
export function renderChart(spec: TopLevelSpec): Promise<ChartPicture> {
  return renderer.render(spec);
}
