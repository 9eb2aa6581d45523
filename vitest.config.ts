import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

// The store, job, service and scenario tests run again on PostgreSQL when TEST_DATABASE_URL names a server
// (.ci/run points it at the local one); each test file gets a database of its own there.
const postgresUrl = process.env.TEST_DATABASE_URL;
const ON_BOTH = [
  'test/store/**/*.test.ts',
  'test/jobs/**/*.test.ts',
  'test/services/**/*.test.ts',
  'test/scenarios/**/*.test.ts',
];
// Several refdesk processes on one database: PostgreSQL only (SQLite is one process's database).
const POSTGRES_ONLY = ['test/replicas/**/*.test.ts'];
if (!postgresUrl) {
  console.log(
    'PostgreSQL suite not run: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it too.',
  );
}

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Vitest leaves a core to itself by default, which on two cores runs the files one by one; it mostly waits.
    maxWorkers: availableParallelism(),
    // Files of a worker share loaded modules (Bolt, knex...) instead of importing them again each time:
    // most of a scenario file's cost. Every file still starts and stops its own harness.
    isolate: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...POSTGRES_ONLY],
        },
      },
      ...(postgresUrl
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: [...ON_BOTH, ...POSTGRES_ONLY],
                env: { REFDESK_TEST_DATABASE: 'postgres' },
                // Fails the run, instead of skipping, when the server cannot be reached.
                globalSetup: ['test/support/postgres-reachable.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
