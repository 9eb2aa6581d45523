import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../src/worker-thread.ts';
import { sign } from '../test/support/signed-client.ts';

/** Replaced in every body by the request's sequence number (warm-up included), e.g. to tell trigger_ids apart. */
export const SEQUENCE = '__SEQ__';

/** Milliseconds on the machine-wide monotonic clock, comparable between threads and processes. */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** `concurrency` senders, each sending its next request as soon as the last is answered: as fast as the app goes. */
export interface ClosedLoop {
  kind: 'closed';
  concurrency: number;
  /** Requests sent first and not measured (connections, JIT, caches). */
  warmup: number;
  /** Requests measured after the warm-up, under the same load. */
  requests: number;
}

/**
 * `senders` senders, each sending one request every `intervalMs` whether or not its earlier ones are
 * answered (open loop, like Slack's users), their start times spread evenly over the first interval.
 */
export interface Paced {
  kind: 'paced';
  senders: number;
  intervalMs: number;
  /** Requests scheduled in this first stretch are sent but not measured. */
  warmupMs: number;
  /** Requests scheduled in this stretch after the warm-up are measured. */
  durationMs: number;
}

export type LoadShape = ClosedLoop | Paced;

export interface LoadJob {
  url: string;
  contentType: string;
  /** Unsigned bodies, sent round-robin with `SEQUENCE` filled in; each is signed with a fresh timestamp. */
  bodies: string[];
  signingSecret: string;
  timeoutMs: number;
  shape: LoadShape;
}

export interface LoadResult {
  /** Milliseconds from sending the request to the end of the response, one per successful measured request. */
  latencies: Float64Array;
  failures: number;
  /** A few distinct failure reasons, for the report. */
  failureReasons: string[];
  /** Wall time of the measured part, from the first measured send to the last measured answer. */
  wallMs: number;
  /** Every request sent, warm-up included. */
  sent: number;
  /** Sequence number of each measured request, and `monotonicMs()` when it was sent. */
  measuredSeq: Int32Array;
  sentAt: Float64Array;
  /** Paced only: how much later than scheduled the latest measured send went out (the sender falling behind). */
  maxSendLagMs: number;
}

type Outcome = { ok: true; ms: number } | { ok: false; reason: string };

function sendOne(agent: Agent, job: LoadJob, body: string): Promise<Outcome> {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': job.contentType,
    'content-length': String(Buffer.byteLength(body)),
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': sign(job.signingSecret, timestamp, body),
  };
  return new Promise((resolve) => {
    const start = performance.now();
    const req = request(job.url, { method: 'POST', agent, headers, timeout: job.timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => {
        const elapsed = performance.now() - start;
        resolve(
          res.statusCode === 200
            ? { ok: true, ms: elapsed }
            : { ok: false, reason: `HTTP ${res.statusCode}` },
        );
      });
      res.on('error', (error) => resolve({ ok: false, reason: error.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${job.timeoutMs} ms`)));
    req.on('error', (error) => resolve({ ok: false, reason: error.message }));
    req.end(body);
  });
}

/** Sends requests in sequence-number order and keeps the figures of the measured ones. */
class Recorder {
  private next = 0;
  private readonly latencies: number[] = [];
  private readonly seqs: number[] = [];
  private readonly sentAts: number[] = [];
  private failures = 0;
  private readonly reasons = new Set<string>();
  private firstMeasuredAt = Number.NaN;
  private lastAnsweredAt = Number.NaN;
  maxSendLagMs = 0;

  constructor(
    private readonly agent: Agent,
    private readonly job: LoadJob,
  ) {}

  get sent(): number {
    return this.next;
  }

  async send(measured: boolean): Promise<void> {
    const seq = this.next++;
    const { bodies } = this.job;
    const body = bodies[seq % bodies.length]!.replaceAll(SEQUENCE, String(seq));
    if (measured) {
      if (Number.isNaN(this.firstMeasuredAt)) this.firstMeasuredAt = performance.now();
      this.seqs.push(seq);
      this.sentAts.push(monotonicMs());
    }
    const outcome = await sendOne(this.agent, this.job, body);
    if (!measured) return;
    this.lastAnsweredAt = performance.now();
    if (outcome.ok) this.latencies.push(outcome.ms);
    else {
      this.failures++;
      if (this.reasons.size < 5) this.reasons.add(outcome.reason);
    }
  }

  result(): LoadResult {
    return {
      latencies: Float64Array.from(this.latencies),
      failures: this.failures,
      failureReasons: [...this.reasons],
      wallMs: this.lastAnsweredAt - this.firstMeasuredAt,
      sent: this.next,
      measuredSeq: Int32Array.from(this.seqs),
      sentAt: Float64Array.from(this.sentAts),
      maxSendLagMs: this.maxSendLagMs,
    };
  }
}

async function closedLoop(recorder: Recorder, shape: ClosedLoop): Promise<void> {
  const total = shape.warmup + shape.requests;
  const sender = async () => {
    while (recorder.sent < total) await recorder.send(recorder.sent >= shape.warmup);
  };
  await Promise.all(Array.from({ length: shape.concurrency }, sender));
}

async function paced(recorder: Recorder, shape: Paced): Promise<void> {
  const start = performance.now();
  const end = shape.warmupMs + shape.durationMs;
  const inFlight: Promise<void>[] = [];
  const sender = async (index: number) => {
    for (let due = (index * shape.intervalMs) / shape.senders; due < end; due += shape.intervalMs) {
      const wait = start + due - performance.now();
      if (wait > 0) await sleep(wait);
      const measured = due >= shape.warmupMs;
      if (measured) recorder.maxSendLagMs = Math.max(recorder.maxSendLagMs, performance.now() - start - due);
      inFlight.push(recorder.send(measured));
    }
  };
  await Promise.all(Array.from({ length: shape.senders }, (_, i) => sender(i)));
  await Promise.all(inFlight);
}

/** Runs the load in the calling thread. Same code for every app under test. */
export async function sendLoad(job: LoadJob): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true });
  const recorder = new Recorder(agent, job);
  try {
    if (job.shape.kind === 'closed') await closedLoop(recorder, job.shape);
    else await paced(recorder, job.shape);
  } finally {
    agent.destroy();
  }
  return recorder.result();
}

/**
 * Sends load from a worker thread: its own event loop times the answers, so the app's work on the
 * main thread shows up as latency instead of also delaying the stopwatch, as a remote Slack would see it.
 * One worker serves every run, so its start-up is paid once and never overlaps a measurement.
 */
export class LoadSender {
  private readonly worker: Worker;
  private failure: Error | null = null;
  private pending: { resolve(result: LoadResult): void; reject(error: Error): void } | null = null;

  constructor() {
    this.worker = startWorker(new URL('./sender-worker.ts', import.meta.url), { execArgv: [] });
    this.worker.on('message', (result: LoadResult) => {
      this.pending?.resolve(result);
      this.pending = null;
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      this.pending?.reject(error);
      this.pending = null;
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`load worker exited with code ${code}`)));
  }

  run(job: LoadJob): Promise<LoadResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error('one load at a time'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('load sender closed');
    await this.worker.terminate();
  }
}
