import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Vitest leaves a core to itself by default, which on two cores runs the files one by one; it mostly waits.
    maxWorkers: availableParallelism(),
    // Files of a worker share loaded modules (Bolt, knex...) instead of importing them again each time:
    // most of a scenario file's cost. Every file still starts and stops its own harness.
    isolate: false,
  },
});
