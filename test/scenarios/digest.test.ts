import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../support/clock.ts';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import { createRequest } from '../support/journey.ts';

/** Monday 30 November 2026, 09:00 UTC: the default digest moment. */
const MONDAY_NINE = '2026-11-30T09:00:00.000Z';

type Block = { type: string; text?: { text?: string }; slack_file?: { id: string }; alt_text?: string };

describe('the weekly digest', () => {
  const clock = new TestClock('2026-11-25T10:00:00.000Z');
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ now: clock.now, env: { DIGEST_ENABLED: 'true' } });
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(async () => {
    await h.reset();
    clock.set('2026-11-25T10:00:00.000Z');
  });

  const digests = () =>
    h.slack
      .messagesTo(MANAGERS_CHANNEL)
      .filter((m) => String(m.text).startsWith('Reference program: the week of'));
  const blocksOf = (m: Record<string, unknown>) => m.blocks as Block[];

  it('goes to the managers on Monday at 9 with the week’s figures and a chart, once, across a restart', async () => {
    await createRequest(h);
    await createRequest(h);
    clock.set('2026-11-30T08:59:00.000Z');
    await h.refdesk.lifecycle.runNow();
    await h.settled();
    expect(digests()).toEqual([]);

    clock.set(MONDAY_NINE);
    await h.refdesk.lifecycle.runNow();
    await h.settled();
    const [digest] = digests();
    expect(digests()).toHaveLength(1);
    expect(digest!.text).toBe('Reference program: the week of Mon 23 Nov 2026: 2 asks, 0 fulfilled');
    const blocks = blocksOf(digest!);
    expect(blocks[1]!.text!.text).toContain('*Asks:* 2 (0 the week before)');
    const image = blocks.find((b) => b.type === 'image');
    expect(image?.slack_file?.id).toMatch(/^F0UPLOAD/);
    expect(image?.alt_text).toMatch(/Asks: (0, ){11}2\. Fulfilled: (0, ){11}0\./);
    // Uploaded without a channel: the file is the bot's own until the message shows it.
    const completed = h.slack.callsTo('files.completeUploadExternal');
    expect(completed.at(-1)?.params.channel_id).toBeUndefined();

    // Later that day, and after a restart, the week's digest is not sent again.
    clock.set('2026-11-30T15:00:00.000Z');
    await h.refdesk.lifecycle.runNow();
    await h.restart();
    await h.refdesk.lifecycle.runNow();
    await h.settled();
    expect(digests()).toHaveLength(1);
  });

  it('goes out with a text table instead of the picture when Slack refuses uploads', async () => {
    await createRequest(h);
    h.slack.intercept((call) =>
      call.method === 'files.getUploadURLExternal'
        ? { body: { ok: false, error: 'file_uploads_disabled' } }
        : undefined,
    );
    clock.set(MONDAY_NINE);
    await h.refdesk.lifecycle.runNow();
    await h.settled();
    const [digest] = digests();
    const blocks = blocksOf(digest!);
    expect(blocks.some((b) => b.type === 'image')).toBe(false);
    const table = blocks.find((b) => b.text?.text?.startsWith('*Asks and fulfilled per week*'));
    expect(table?.text?.text).toMatch(/Week of\s+Asks\s+Fulfilled/);
    expect(table?.text?.text).toMatch(/23 Nov\s+1\s+0/);
  });
});
