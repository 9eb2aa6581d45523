import type { Benchmark } from './benchmark.ts';
import { runChaos } from './chaos.ts';

const JOURNEYS = Number(process.env.REPLICAS_JOURNEYS ?? process.env.CHAOS_JOURNEYS ?? 200);
const REPLICAS = 2;

/** The chaos journeys against two refdesk processes sharing one PostgreSQL database. */
export const replicasBenchmark: Benchmark = {
  name: 'replicas',
  description:
    `${JOURNEYS} chaos journeys spread at random over ${REPLICAS} refdesk processes on one PostgreSQL ` +
    'database (BENCH_DATABASE_URL): completed, duplicates, lost, drain time, acks per request kind',
  run: () => runChaos({ replicas: REPLICAS, database: 'postgres', journeys: JOURNEYS }),
};
