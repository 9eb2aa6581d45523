import { parentPort } from 'node:worker_threads';
import { type LoadJob, sendLoad } from './sender.ts';

parentPort!.on('message', async (job: LoadJob) => {
  const result = await sendLoad(job);
  parentPort!.postMessage(result, [
    result.latencies.buffer as ArrayBuffer,
    result.measuredSeq.buffer as ArrayBuffer,
    result.sentAt.buffer as ArrayBuffer,
  ]);
});
