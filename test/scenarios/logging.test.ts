import { LogLevel } from '@slack/logger';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VIEWS } from '../../src/slack/ids.ts';
import { Harness } from '../support/harness.ts';
import { MANAGER, responsesAt, textOf } from '../support/journey.ts';
import { RecordingLogger } from '../support/recording-logger.ts';
import { blockSuggestion } from '../support/signed-client.ts';

const STACK = '    at ';

/** What users and crafted requests cause is one line at warn or below; only the unexpected is an error with a stack. */
describe('logging failures at the right level', () => {
  let h: Harness;
  const logger = new RecordingLogger();
  beforeAll(async () => {
    h = await Harness.start({ logger });
  });
  beforeEach(async () => {
    await h.reset();
    logger.lines.length = 0;
  });
  afterAll(() => h.stop());

  it('answers a typeahead with tampered metadata with no options, and logs one warning without a stack', async () => {
    const res = await h.client.interaction(
      blockSuggestion({
        user: MANAGER,
        actionId: 'contact_select',
        blockId: 'contact',
        value: 'ja',
        callbackId: VIEWS.approve,
        privateMetadata: JSON.stringify({ requestId: 424242 }),
      }),
    );
    expect(res.json()).toEqual({ options: [] });
    const logged = logger.lines.filter((l) => /typeahead/.test(l.text));
    expect(logged).toEqual([{ level: LogLevel.WARN, text: expect.stringMatching(/^[^\n]+$/) }]);
    expect(logger.lines.filter((l) => l.level === LogLevel.ERROR)).toEqual([]);
    expect(logger.lines.filter((l) => l.text.includes(STACK))).toEqual([]);
  });

  it('still logs an unexpected failure as an error with its stack', async () => {
    // A modal Slack refuses is refdesk's to fix.
    h.slack.failNext('views.open', 1, { body: { ok: false, error: 'invalid_blocks' } });
    const responseUrl = h.nextResponseUrl();
    await h.client.command({
      user_id: MANAGER,
      text: 'contacts',
      response_url: responseUrl,
      trigger_id: 't',
    });
    const [reply] = await h.slack.waitFor(
      () => responsesAt(h, responseUrl).length > 0 && responsesAt(h, responseUrl),
    );
    expect(textOf(reply)).toMatch(/something went wrong/);
    const errors = logger.lines.filter((l) => l.level === LogLevel.ERROR);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.text).toMatch(/opening the directory failed/);
    expect(errors[0]!.text).toContain(STACK);
  });
});
