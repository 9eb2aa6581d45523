/**
 * Imports the pipeline through the real command line code (`refdesk import pipeline`) and then works out
 * the coverage gaps back to back, in a process of its own started with the bot's node flags, so its memory
 * is what the bot's would be. Prints its timings and memory as JSON.
 */
import { runCli } from '../src/cli.ts';
import { DEFAULT_RULES } from '../src/domain/program-rules.ts';
import { GapsService } from '../src/services/gaps-service.ts';
import { openDatabase } from '../src/store/database.ts';
import { GapsStore } from '../src/store/gaps-store.ts';
import { peakMb, timedMethods } from './worker-process.ts';

const RUNS = 20;

const [databaseUrl, csvFile] = process.argv.slice(2) as [string, string];
process.env.DATABASE_URL = databaseUrl;
const importLines: string[] = [];
const importStart = performance.now();
const code = await runCli(['import', 'pipeline', csvFile], { out: (line) => importLines.push(line) });
const importMs = performance.now() - importStart;
if (code !== 0) throw new Error(`refdesk import pipeline exited with ${code}`);
const importPeakMb = peakMb();

const db = openDatabase(databaseUrl);
try {
  const queries = new Map<string, number[]>();
  const gaps = new GapsService({
    db,
    store: timedMethods(new GapsStore(), queries),
    rules: DEFAULT_RULES,
    now: () => new Date(),
  });
  const first = await gaps.programGaps();
  queries.clear();
  const gapsMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await gaps.programGaps();
    gapsMs.push(performance.now() - start);
  }
  process.stdout.write(
    `${JSON.stringify({
      importMs,
      imported: importLines.join(' '),
      importPeakMb,
      segments: first.totals.segments,
      top: first.gaps[0]?.label ?? null,
      gapsMs,
      queries: Object.fromEntries(queries),
      rssMb: process.memoryUsage().rss / 1024 / 1024,
      peakMb: peakMb(),
    })}\n`,
  );
} finally {
  await db.destroy();
}
