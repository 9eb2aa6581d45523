import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running the module at `entry`: TypeScript under tsx and vitest, JavaScript in the build.
 * Node 20 does not apply tsx's loader to a worker's entry, so a `.ts` entry registers it before importing.
 */
export function startWorker(entry: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const boot = `import(${tsx}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
