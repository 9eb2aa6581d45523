import type { Logger } from '@slack/bolt';
import type { ImageBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { asksPerWeekAltText, asksPerWeekChart } from '../charts/specs.ts';
import type { DigestService, WeeklyDigest } from '../services/digest-service.ts';
import { weeklyDigestMessage } from './blocks/digest.ts';
import type { SlackMessage } from './blocks/kit.ts';
import { drawnChartBlock } from './chart-upload.ts';

/** Renders the weekly digest, with its chart uploaded as a picture when Slack takes it, as text when not. */
export class DigestPublisher {
  constructor(
    private readonly digests: DigestService,
    private readonly logger: Logger,
  ) {}

  async message(client: WebClient, sentOn: string): Promise<SlackMessage> {
    const digest = await this.digests.contents(sentOn);
    return weeklyDigestMessage(digest, await this.chart(client, digest));
  }

  /** A picture never holds up the digest: any failure gives the text table instead. */
  private chart(client: WebClient, digest: WeeklyDigest): Promise<ImageBlock | null> {
    return drawnChartBlock(client, asksPerWeekChart(digest.weeks), {
      filename: `refdesk-digest-${digest.sentOn}.png`,
      title: 'Asks and fulfilled per week',
      altText: asksPerWeekAltText(digest.weeks),
      logger: this.logger,
    });
  }
}
