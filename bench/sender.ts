import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { sign } from '../test/support/signed-client';

/** Replaced in every body by the request's sequence number (warm-up included), e.g. to tell trigger_ids apart. */
export const SEQUENCE = '__SEQ__';

/** Milliseconds on the process-wide monotonic clock, comparable between threads. */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** A closed-loop load: `concurrency` senders, each sending its next request as soon as the last is answered. */
export interface LoadJob {
  url: string;
  contentType: string;
  /** Unsigned bodies, sent round-robin with `SEQUENCE` filled in; each is signed with a fresh timestamp. */
  bodies: string[];
  signingSecret: string;
  concurrency: number;
  /** Requests sent first and not measured (connections, JIT, caches). */
  warmup: number;
  /** Requests measured after the warm-up, under the same load. */
  requests: number;
  timeoutMs: number;
}

export interface LoadResult {
  /** Milliseconds from sending the request to the end of the response, one per successful measured request. */
  latencies: Float64Array;
  failures: number;
  /** A few distinct failure reasons, for the report. */
  failureReasons: string[];
  /** Wall time of the measured part, from the first measured send to the last measured answer. */
  wallMs: number;
  /** `monotonicMs()` when each measured request was sent, by sequence number minus the warm-up. */
  sentAt: Float64Array;
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

/** Runs the load in the calling thread. Same code for every app under test. */
export async function sendLoad(job: LoadJob): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const total = job.warmup + job.requests;
  const latencies = new Float64Array(job.requests);
  const sentAt = new Float64Array(job.requests);
  let measured = 0;
  let failures = 0;
  const reasons = new Set<string>();
  let next = 0;
  let firstMeasuredAt = 0;
  let lastAnsweredAt = 0;

  const sender = async () => {
    while (next < total) {
      const index = next++;
      const isMeasured = index >= job.warmup;
      if (index === job.warmup) firstMeasuredAt = performance.now();
      const body = job.bodies[index % job.bodies.length]!.replaceAll(SEQUENCE, String(index));
      if (isMeasured) sentAt[index - job.warmup] = monotonicMs();
      const outcome = await sendOne(agent, job, body);
      if (!isMeasured) continue;
      lastAnsweredAt = performance.now();
      if (outcome.ok) latencies[measured++] = outcome.ms;
      else {
        failures++;
        if (reasons.size < 5) reasons.add(outcome.reason);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: job.concurrency }, sender));
  } finally {
    agent.destroy();
  }
  return {
    latencies: latencies.slice(0, measured),
    failures,
    failureReasons: [...reasons],
    wallMs: lastAnsweredAt - firstMeasuredAt,
    sentAt,
  };
}

const WORKER_ENTRY = new URL('./sender-worker.ts', import.meta.url).href;
const TSX_API = import.meta.resolve('tsx/esm/api');

/**
 * Runs the load in a worker thread: its own event loop times the answers, so the app's work on the
 * main thread shows up as latency instead of also delaying the stopwatch, as a remote Slack would see it.
 */
export function sendLoadInWorker(job: LoadJob): Promise<LoadResult> {
  // Workers do not inherit tsx's loader under Node 20, so the entry registers it before importing TypeScript.
  const boot = `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_ENTRY)}); });`;
  const worker = new Worker(boot, { eval: true, execArgv: [], workerData: job });
  return new Promise((resolve, reject) => {
    worker.once('message', (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`load worker exited with code ${code} before reporting`)));
  });
}
