import { ackLatency } from './ack-latency.ts';
import type { Benchmark } from './benchmark.ts';
import { chaosBenchmark } from './chaos.ts';
import { directoryBenchmark } from './directory.ts';
import { explainBenchmark } from './explain.ts';
import { gapsBenchmark } from './gaps.ts';
import { importBenchmark } from './import.ts';
import { replicasBenchmark } from './replicas.ts';
import { reportsBenchmark } from './reports.ts';

/**
 * Every benchmark, run in this order by `npm run bench`; `npm run bench -- <name>` runs one.
 * To add one, export a `Benchmark` (or a run function) from its own file and list it here.
 */
const BENCHMARKS: readonly Benchmark[] = [
  ackLatency,
  chaosBenchmark,
  replicasBenchmark,
  directoryBenchmark,
  explainBenchmark,
  reportsBenchmark,
  gapsBenchmark,
  {
    name: 'import',
    description: 'refdesk import / re-import / export of a generated 100,000-contact directory',
    run: importBenchmark,
  },
];

function printAvailable(): void {
  for (const b of BENCHMARKS) {
    console.error(`  ${b.name.padEnd(8)} ${b.description}`);
    for (const [flag, what] of Object.entries(b.flags ?? {}))
      console.error(`  ${''.padEnd(8)}   ${flag}: ${what}`);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.filter((a) => !a.startsWith('--'));
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const unknown = only.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark: ${unknown.join(', ')}. Available:`);
    printAvailable();
    process.exitCode = 2;
    return;
  }
  const selected = only.length > 0 ? BENCHMARKS.filter((b) => only.includes(b.name)) : BENCHMARKS;
  const unknownFlags = [...flags].filter((f) => !selected.some((b) => b.flags?.[f] !== undefined));
  if (unknownFlags.length > 0) {
    console.error(`No selected benchmark takes ${unknownFlags.join(', ')}. Available:`);
    printAvailable();
    process.exitCode = 2;
    return;
  }
  for (const benchmark of selected) {
    console.log(`\n== ${benchmark.name}: ${benchmark.description}\n`);
    const started = performance.now();
    await benchmark.run(flags);
    console.log(`\n(${benchmark.name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
