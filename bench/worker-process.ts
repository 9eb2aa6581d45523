/**
 * What the benchmarks that measure in a process of their own share: starting that process with the bot's node
 * flags and reading its figures back, timing each method of a store, and reading the process's peak memory.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { botNodeFlags } from './bot-process.ts';

/** This process's peak resident memory (VmHWM), in MB. */
export const peakMb = (): number =>
  Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

/** The value at quantile `q` (0..1) by nearest rank; 0 for none. */
export const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
};

/**
 * `target` with each method call timed into `times` by method name, the calls its methods make to one another
 * too (they run with the proxy as `this`).
 */
export function timedMethods<T extends object>(target: T, times: Map<string, number[]>): T {
  const proxy: T = new Proxy(target, {
    get(object, name, receiver) {
      const value = Reflect.get(object, name, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const start = performance.now();
        try {
          return await value.apply(proxy, args);
        } finally {
          const list = times.get(String(name)) ?? [];
          list.push(performance.now() - start);
          times.set(String(name), list);
        }
      };
    },
  });
  return proxy;
}

/** Runs the worker script `name` (in bench/) with the bot's node flags; resolves with the JSON of its last line. */
export function runWorker<Figures>(name: string, args: readonly string[]): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...botNodeFlags(), '--import', 'tsx', join(import.meta.dirname, name), ...args],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Figures)
        : reject(new Error(`${name} exited ${code}`)),
    );
  });
}
