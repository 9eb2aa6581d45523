/**
 * Ranks in a process of its own, as the bot does: the benchmark's own heap (the generated CSV, the
 * import) would otherwise charge its garbage collections to the ranking. Prints the figures as JSON.
 */
import { openDatabase } from '../src/store/database.ts';
import { benchRanking, vocabulary } from './directory.ts';

const db = openDatabase(process.argv[2]!);
try {
  const result = await benchRanking(db, await vocabulary(db));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await db.destroy();
}
