import { ackLatency } from './ack-latency.ts';
import type { Benchmark } from './benchmark.ts';
import { chaosBenchmark } from './chaos.ts';
import { directoryBenchmark } from './directory.ts';
import { importBenchmark } from './import.ts';

/**
 * Every benchmark, run in this order by `npm run bench`; `npm run bench -- <name>` runs one.
 * To add one, export a `Benchmark` (or a run function) from its own file and list it here.
 */
const BENCHMARKS: readonly Benchmark[] = [
  ackLatency,
  chaosBenchmark,
  directoryBenchmark,
  {
    name: 'import',
    description: 'refdesk import / re-import / export of a generated 100,000-contact directory',
    run: importBenchmark,
  },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark: ${unknown.join(', ')}. Available:`);
    for (const b of BENCHMARKS) console.error(`  ${b.name.padEnd(8)} ${b.description}`);
    process.exitCode = 2;
    return;
  }
  const selected = only.length > 0 ? BENCHMARKS.filter((b) => only.includes(b.name)) : BENCHMARKS;
  for (const benchmark of selected) {
    console.log(`\n== ${benchmark.name}: ${benchmark.description}\n`);
    const started = performance.now();
    await benchmark.run();
    console.log(`\n(${benchmark.name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
