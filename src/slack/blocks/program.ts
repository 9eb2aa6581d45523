import type { ImageBlock, KnownBlock } from '@slack/types';
import type { HeadlineFigure } from '../../charts/specs.ts';
import { formatFigure } from '../../charts/specs.ts';
import type { ProgramReport } from '../../domain/report.ts';
import { context, header, section } from './kit.ts';

/** The Program section's headline figures: the last 90 days against the 90 before. */
export function headlineFigures(report: ProgramReport): HeadlineFigure[] {
  const secured = report.turnaround.toSecured;
  return [
    { label: 'Asks', ...report.volume.total },
    { label: 'Fulfilled', ...report.volume.byStatus.fulfilled },
    {
      label: 'Days to a secured contact (median)',
      current: (secured.current.medianHours ?? 0) / 24,
      previous: (secured.previous.medianHours ?? 0) / 24,
    },
    { label: 'References held', ...report.outcomes.held },
    { label: 'Influenced revenue', ...report.outcomes.influencedRevenue, unit: 'amount' },
  ];
}

const line = (f: HeadlineFigure) =>
  `*${f.label}:* ${formatFigure(Math.round(f.current * 10) / 10, f.unit)} (${formatFigure(Math.round(f.previous * 10) / 10, f.unit)} the 90 days before)`;

/** The managers' Home: how the program did lately, with the chart when Slack took the picture. */
export function programBlocks(figures: readonly HeadlineFigure[], chart: ImageBlock | null): KnownBlock[] {
  return [
    header('Program: the last 90 days'),
    section(figures.map(line).join('\n')),
    ...(chart ? [chart] : []),
    context(
      'Asks submitted in the last 90 days; influenced revenue as reported by reps. `/reference report` has every figure.',
    ),
  ];
}
