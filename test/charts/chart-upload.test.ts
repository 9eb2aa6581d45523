import { type Logger, LogLevel } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderChart } from '../../src/charts/render.ts';
import { asksPerWeekAltText, asksPerWeekChart } from '../../src/charts/specs.ts';
import { chartImageBlock, uploadChart } from '../../src/slack/chart-upload.ts';
import { FakeSlack } from '../support/fake-slack.ts';

const weeks = Array.from({ length: 12 }, (_, i) => ({
  weekStart: new Date(Date.UTC(2026, 8, 7 + 7 * i)).toISOString().slice(0, 10),
  asks: 10 + i,
  fulfilled: 6 + i,
}));
const altText = asksPerWeekAltText(weeks);

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => undefined;
  return {
    warnings,
    warn: (...messages: unknown[]) => void warnings.push(messages.join(' ')),
    debug: ignore,
    info: ignore,
    error: ignore,
    setLevel: ignore,
    getLevel: () => LogLevel.WARN,
    setName: ignore,
  };
}

describe('uploadChart', () => {
  const slack = new FakeSlack();
  let client: WebClient;
  let png: Buffer;
  let logger: ReturnType<typeof recordingLogger>;
  const options = () => ({
    filename: 'asks-per-week.png',
    title: 'Asks and fulfilled, per week',
    altText,
    logger,
    readyWithinMs: 300,
    pollMs: 20,
  });

  beforeAll(async () => {
    await slack.start();
    png = (await renderChart(asksPerWeekChart(weeks))).png;
  });
  afterAll(() => slack.stop());
  beforeEach(() => {
    slack.reset();
    client = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    logger = recordingLogger();
  });

  it('uploads the PNG to no channel, waits until Slack has processed it, and gives its id for an image block', async () => {
    slack.fileProcessingPolls = 2;
    const chart = await uploadChart(client, png, options());

    expect(chart).toEqual({ fileId: expect.stringMatching(/^F[A-Z0-9]{8,}$/) });
    const file = slack.files.get(chart!.fileId)!;
    expect(file.bytes?.equals(png)).toBe(true);
    expect(file).toMatchObject({ filename: 'asks-per-week.png', altText, completed: true, channels: [] });
    const complete = slack.callsTo('files.completeUploadExternal');
    expect(complete).toHaveLength(1);
    expect(complete[0]!.params).not.toHaveProperty('channel_id');
    // Two answers of "still processing", then ready.
    expect(slack.callsTo('files.info').map((c) => c.params.file)).toEqual([file.id, file.id, file.id]);
    expect(logger.warnings).toEqual([]);

    expect(chartImageBlock(chart!, altText, 'Asks per week')).toEqual({
      type: 'image',
      slack_file: { id: file.id },
      alt_text: altText,
      title: { type: 'plain_text', text: 'Asks per week' },
    });
  });

  it.each(['file_uploads_disabled', 'not_allowed_token_type', 'missing_scope'])(
    'returns null, for a text table instead, when Slack refuses the upload: %s',
    async (error) => {
      slack.failNext('files.getUploadURLExternal', 1, { body: { ok: false, error } });

      await expect(uploadChart(client, png, options())).resolves.toBeNull();
      expect(slack.callsTo('files.completeUploadExternal')).toEqual([]);
      expect(slack.files.size).toBe(0);
      expect(logger.warnings).toEqual([expect.stringContaining(`(${error})`)]);
    },
  );

  it('returns null when completing the upload fails', async () => {
    slack.failNext('files.completeUploadExternal', 1, { status: 500, body: 'oops' });

    await expect(uploadChart(client, png, options())).resolves.toBeNull();
    expect(logger.warnings).toHaveLength(1);
  });

  it('gives up, deletes the file and returns null when Slack never finishes processing it', async () => {
    slack.fileProcessingPolls = Number.POSITIVE_INFINITY;
    const started = Date.now();

    await expect(uploadChart(client, png, options())).resolves.toBeNull();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(slack.callsTo('files.info').length).toBeGreaterThanOrEqual(3);
    expect(slack.callsTo('files.delete')).toHaveLength(1);
    expect(slack.files.size).toBe(0);
    expect(logger.warnings).toEqual([expect.stringContaining('not processed by Slack in time')]);
  });

  it('returns null when it may not ask whether the file is ready (no files:read)', async () => {
    slack.failNext('files.info', 1, { body: { ok: false, error: 'missing_scope', needed: 'files:read' } });

    await expect(uploadChart(client, png, options())).resolves.toBeNull();
    expect(slack.files.size).toBe(0);
    expect(logger.warnings).toEqual([expect.stringContaining('(missing_scope)')]);
  });
});

describe('chartImageBlock', () => {
  it('keeps alt_text within Slack’s 2,000 characters and leaves the title out when there is none', () => {
    const block = chartImageBlock({ fileId: 'F0UPLOAD0001' }, 'x'.repeat(2500));
    expect(block.alt_text).toHaveLength(2000);
    expect(block).not.toHaveProperty('title');
  });
});
