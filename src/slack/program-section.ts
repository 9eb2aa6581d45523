import type { Logger } from '@slack/bolt';
import type { ImageBlock, KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { type HeadlineFigure, headlineAltText, headlineChart } from '../charts/specs.ts';
import type { CoverageGaps } from '../domain/gaps.ts';
import type { GapsService } from '../services/gaps-service.ts';
import type { ReportService } from '../services/report-service.ts';
import { homeGapsBlocks } from './blocks/gaps.ts';
import { headlineFigures, programBlocks } from './blocks/program.ts';
import { drawnChartBlock } from './chart-upload.ts';

/** The coverage gaps shown on the Home are worked out again after this long (up to a second on a big program). */
const GAPS_TTL_MS = 10 * 60_000;

/**
 * The Program section of the managers' Home. Its figures are read on every render; its chart is
 * drawn and uploaded at most once a day per process (a render and an upload take 100-400 ms, and
 * every change re-renders the managers' Homes); its top coverage gaps are kept ten minutes.
 */
export class ProgramSection {
  private chart: { day: string; block: Promise<ImageBlock | null> } | null = null;
  private gaps: { at: number; value: Promise<CoverageGaps> } | null = null;

  constructor(
    private readonly reports: ReportService,
    private readonly logger: Logger,
    private readonly now: () => Date,
    private readonly coverage: GapsService | null = null,
  ) {}

  /** The section's blocks; none when the figures cannot be read (the rest of the Home still shows). */
  async blocks(client: WebClient): Promise<KnownBlock[]> {
    try {
      const figures = headlineFigures(await this.reports.programReport({ period: 'last_90' }));
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
    if (!this.coverage) return [];
    const at = this.now().getTime();
    if (!this.gaps || at - this.gaps.at > GAPS_TTL_MS) {
      const value = this.coverage.programGaps();
      this.gaps = { at, value };
      value.catch(() => {
        if (this.gaps?.value === value) this.gaps = null;
      });
    }
    try {
      return homeGapsBlocks(await this.gaps.value);
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
