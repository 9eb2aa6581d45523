import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { ConsoleLogger, type LogLevel } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import type { Call, CallError, Lane, Reply, WebApiSetup } from './web-api-thread.ts';

const setup = workerData as WebApiSetup;

// Acks come first: when the machine is busy, the scheduler should run the main thread, which acks, before
// this one. Linux gives each thread its own nice value (/proc/thread-self names this one); elsewhere, no-op.
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 10);
} catch {
  // not Linux, or not allowed: same priority as the main thread
}

const logger = new ConsoleLogger();
logger.setLevel(setup.logLevel as LogLevel);
logger.setName('refdesk:web-api');
const clients = new Map<Lane, WebClient>(
  (Object.entries(setup.lanes) as [Lane, WebApiSetup['lanes'][Lane]][]).map(([lane, options]) => [
    lane,
    new WebClient(setup.token, { ...options, slackApiUrl: setup.slackApiUrl, logger }),
  ]),
);

function callError(error: unknown): CallError {
  const e = error as CallError;
  const out: CallError = { message: e.message ?? String(error) };
  if (typeof e.code === 'string') out.code = e.code;
  if (e.data !== undefined) out.data = JSON.parse(JSON.stringify(e.data));
  if (typeof e.retryAfter === 'number') out.retryAfter = e.retryAfter;
  if (typeof e.statusCode === 'number') out.statusCode = e.statusCode;
  return out;
}

parentPort!.on('message', (call: Call) => {
  const reply = (message: Reply) => parentPort!.postMessage(message);
  clients
    .get(call.lane)!
    .apiCall(call.method, call.args)
    .then(
      (result) => {
        const { channel, ts } = result as { channel?: string; ts?: string };
        reply({ id: call.id, ok: true, result: { channel, ts } });
      },
      (error: unknown) => reply({ id: call.id, ok: false, error: callError(error) }),
    );
});
