/**
 * Makes program reports and charts back to back in a process of its own, started with the bot's node
 * flags, so its memory is what the bot's would be. Prints its timings and memory as JSON.
 */
import { renderChart } from '../src/charts/render.ts';
import { asksPerWeekChart, headlineChart } from '../src/charts/specs.ts';
import { DEFAULT_RULES } from '../src/domain/program-rules.ts';
import { ReportService } from '../src/services/report-service.ts';
import { headlineFigures } from '../src/slack/blocks/program.ts';
import { openDatabase } from '../src/store/database.ts';
import { ReportStore } from '../src/store/report-store.ts';
import { peakMb, timedMethods } from './worker-process.ts';

const REPORTS = 20;
const CHARTS = 20;
const PERIODS = ['last_30', 'last_90', 'last_365', 'quarter'] as const;

const db = openDatabase(process.argv[2]!);
try {
  const tables = new Map<string, number[]>();
  const reports = new ReportService({
    db,
    store: timedMethods(new ReportStore(), tables),
    rules: DEFAULT_RULES,
    now: () => new Date(),
  });
  const reportMs: number[] = [];
  let last = await reports.programReport({ period: 'last_90' });
  tables.clear();
  for (let i = 0; i < REPORTS; i++) {
    const start = performance.now();
    last = await reports.programReport({ period: PERIODS[i % PERIODS.length] });
    reportMs.push(performance.now() - start);
  }
  const weeks = Array.from({ length: 12 }, (_, i) => ({
    weekStart: new Date(Date.now() - (12 - i) * 7 * 86_400_000).toISOString().slice(0, 10),
    asks: 100 + i * 7,
    fulfilled: 60 + i * 5,
  }));
  const specs = [asksPerWeekChart(weeks), headlineChart(headlineFigures(last))];
  await renderChart(specs[0]!);
  const chartMs: number[] = [];
  for (let i = 0; i < CHARTS; i++) {
    const start = performance.now();
    await renderChart(specs[i % specs.length]!);
    chartMs.push(performance.now() - start);
  }
  process.stdout.write(
    `${JSON.stringify({
      tables: Object.fromEntries(tables),
      reportMs,
      chartMs,
      rssMb: process.memoryUsage().rss / 1024 / 1024,
      peakMb: peakMb(),
    })}\n`,
  );
} finally {
  await db.destroy();
}
