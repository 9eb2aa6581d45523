import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running the module at `entry`. Workers do not inherit tsx's loader, so a `.ts`
 * entry (tests, bench, the CLI) registers it before importing; a compiled `.js` entry is imported as is.
 */
export function moduleWorker(entry: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const target = JSON.stringify(entry.href);
  const boot = entry.pathname.endsWith('.ts')
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${target}); });`
    : `import(${target});`;
  return new Worker(boot, { execArgv: [], ...options, eval: true });
}
