import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@slack/logger';
import type { ImageBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { TopLevelSpec } from 'vega-lite';
import { renderChart } from '../charts/render.ts';

/** A chart Slack holds and has processed: show it with `chartImageBlock`. */
export interface UploadedChart {
  fileId: string;
}

export interface ChartUploadOptions {
  /** e.g. asks-per-week.png */
  filename: string;
  title: string;
  /** What the picture shows, numbers included (screen readers, and the file's own alt text). */
  altText: string;
  logger?: Logger;
  /** How long Slack may take to process the file before the chart is given up (default 20 s). */
  readyWithinMs?: number;
  /** The first wait between files.info polls; it doubles, up to 2 s (default 250 ms). */
  pollMs?: number;
}

/** Slack's limit on an image block's alt_text. */
const ALT_TEXT_MAX = 2000;

/**
 * Uploads a chart with files.uploadV2 and no channel, so the file stays private to the bot (an image
 * block may still show it), then waits until Slack has processed it: a block naming a file Slack
 * is still scanning is refused with invalid_blocks. Slack says a file is ready by filling in its
 * mimetype in files.info (files:read). Returns null, and logs why, when uploads are refused
 * (file_uploads_disabled, not_allowed_token_type, missing_scope...), fail, or do not finish in time:
 * the caller then sends a text table instead, because a picture never blocks a report.
 */
export async function uploadChart(
  client: WebClient,
  png: Buffer,
  options: ChartUploadOptions,
): Promise<UploadedChart | null> {
  const { filename, title, altText, logger } = options;
  let fileId: string | undefined;
  try {
    const result = await client.filesUploadV2({
      file: png,
      filename,
      title,
      alt_text: altText.slice(0, ALT_TEXT_MAX),
    });
    fileId = result.files.flatMap((completed) => completed.files ?? [])[0]?.id;
    if (!fileId) throw new Error('Slack answered the upload without a file id');
    if (await processed(client, fileId, options)) return { fileId };
    logger?.warn(`chart ${filename} (${fileId}) not processed by Slack in time: sending it as text`);
  } catch (error) {
    logger?.warn(`chart ${filename} not uploaded (${reasonOf(error)}): sending it as text`);
  }
  // A file we will not show is only clutter in the bot's files; removing it is best effort.
  if (fileId) await client.files.delete({ file: fileId }).catch(() => undefined);
  return null;
}

/** Polls files.info, backing off, until the file has a mimetype or the time is up. */
async function processed(client: WebClient, fileId: string, options: ChartUploadOptions): Promise<boolean> {
  const deadline = Date.now() + (options.readyWithinMs ?? 20_000);
  let wait = options.pollMs ?? 250;
  for (;;) {
    const { file } = await client.files.info({ file: fileId });
    if (file?.mimetype) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await sleep(Math.min(wait, left));
    wait = Math.min(wait * 2, 2000);
  }
}

/** The Slack error code (missing_scope...) or the message of what went wrong. */
function reasonOf(error: unknown): string {
  const e = error as { data?: { error?: string }; message?: string };
  return e.data?.error ?? e.message ?? String(error);
}

/** The image block that shows an uploaded chart; alt_text should state the numbers the chart shows. */
export function chartImageBlock(chart: UploadedChart, altText: string, title?: string): ImageBlock {
  return {
    type: 'image',
    slack_file: { id: chart.fileId },
    alt_text: altText.slice(0, ALT_TEXT_MAX),
    ...(title ? { title: { type: 'plain_text', text: title.slice(0, 2000) } } : {}),
  };
}

/**
 * Draws `spec`, uploads it and returns the block that shows it, or null when it could not be drawn or
 * uploaded (logged): the caller shows the same figures as text instead.
 */
export async function drawnChartBlock(
  client: WebClient,
  spec: TopLevelSpec,
  options: ChartUploadOptions,
): Promise<ImageBlock | null> {
  try {
    const picture = await renderChart(spec);
    const uploaded = await uploadChart(client, picture.png, options);
    return uploaded ? chartImageBlock(uploaded, options.altText, options.title) : null;
  } catch (error) {
    options.logger?.warn(`chart ${options.filename} could not be drawn: ${(error as Error).message}`);
    return null;
  }
}
