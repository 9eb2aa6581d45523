import { parentPort, workerData } from 'node:worker_threads';
import { type LoadJob, sendLoad } from './sender';

const result = await sendLoad(workerData as LoadJob);
parentPort!.postMessage(result, [
  result.latencies.buffer as ArrayBuffer,
  result.sentAt.buffer as ArrayBuffer,
]);
