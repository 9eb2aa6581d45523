import type { Logger } from '@slack/bolt';
import type { ImageBlock, KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { type HeadlineFigure, headlineAltText, headlineChart } from '../charts/specs.ts';
import type { CoverageGaps } from '../domain/gaps.ts';
import { Expiring } from '../expiring.ts';
import type { GapsService } from '../services/gaps-service.ts';
import type { ReportService } from '../services/report-service.ts';
import { homeGapsBlocks } from './blocks/gaps.ts';
import { headlineFigures, programBlocks } from './blocks/program.ts';
import { drawnChartBlock } from './chart-upload.ts';

/**
 * The Program section of the managers' Home. Every change re-renders the managers' Homes, so what it shows is
 * kept: its figures a minute (a 90-day report takes ~0.4 s on a program of 200,000 asks, and blocks the event loop on SQLite), its chart a
 * day per process (a render and an upload take 100-400 ms), its top coverage gaps ten minutes (~0.6 s).
 */
export class ProgramSection {
  private chart: { day: string; block: Promise<ImageBlock | null> } | null = null;
  private readonly figures: Expiring<readonly HeadlineFigure[]>;
  private readonly gaps: Expiring<CoverageGaps> | null;

  constructor(
    reports: ReportService,
    private readonly logger: Logger,
    private readonly now: () => Date,
    coverage: GapsService | null = null,
  ) {
    this.figures = new Expiring(
      60_000,
      async () => headlineFigures(await reports.programReport({ period: 'last_90' })),
      now,
    );
    this.gaps = coverage && new Expiring(10 * 60_000, () => coverage.programGaps(), now);
  }

  /** The section's blocks; none when the figures cannot be read (the rest of the Home still shows). */
  async blocks(client: WebClient): Promise<KnownBlock[]> {
    try {
      const figures = await this.figures.get();
      return [
        ...programBlocks(figures, await this.chartOfToday(client, figures)),
        ...(await this.gapBlocks()),
      ];
    } catch (error) {
      this.logger.warn(`the Home's program figures could not be read: ${(error as Error).message}`);
      return [];
    }
  }

  private async gapBlocks(): Promise<KnownBlock[]> {
    if (!this.gaps) return [];
    try {
      return homeGapsBlocks(await this.gaps.get());
    } catch (error) {
      this.logger.warn(`the Home's coverage gaps could not be read: ${(error as Error).message}`);
      return [];
    }
  }

  private chartOfToday(client: WebClient, figures: readonly HeadlineFigure[]): Promise<ImageBlock | null> {
    const day = this.now().toISOString().slice(0, 10);
    if (this.chart?.day !== day) {
      const chart = { day, block: this.draw(client, figures) };
      this.chart = chart;
      // No picture today (refused, failed): the next render tries again rather than keep none all day.
      void chart.block.then((block) => {
        if (!block && this.chart === chart) this.chart = null;
      });
    }
    return this.chart.block;
  }

  private draw(client: WebClient, figures: readonly HeadlineFigure[]): Promise<ImageBlock | null> {
    return drawnChartBlock(client, headlineChart(figures), {
      filename: 'refdesk-program.png',
      title: 'The last 90 days against the 90 before',
      altText: headlineAltText(figures),
      logger: this.logger,
    });
  }
}
