import { ConsoleLogger, LogLevel } from '@slack/logger';
import { ErrorCode } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classify } from '../../src/jobs/delivery-worker.ts';
import { encoded, WebApiThread } from '../../src/slack/web-api-thread.ts';
import { FakeSlack } from '../support/fake-slack.ts';

const logger = new ConsoleLogger();
logger.setLevel(LogLevel.ERROR);

describe('the Web API thread', () => {
  let slack: FakeSlack;
  let thread: WebApiThread;

  beforeEach(async () => {
    slack = new FakeSlack();
    await slack.start();
    thread = new WebApiThread(
      {
        token: 'xoxb-thread-test',
        slackApiUrl: slack.apiUrl,
        logLevel: LogLevel.ERROR,
        lanes: {
          listener: { retryConfig: { retries: 0 } },
          delivery: { retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 2_000 },
        },
      },
      logger,
    );
    thread.start();
  });

  afterEach(async () => {
    await thread.stop();
    await slack.stop();
  });

  it('sends the call with its token and objects as JSON, and answers where a message landed', async () => {
    const posted = await thread.lane('delivery').chat.postMessage({
      channel: 'C0ONE',
      text: 'fallback',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*', verbatim: true } }],
    });
    const [call] = slack.callsTo('chat.postMessage');
    expect(call!.token).toBe('xoxb-thread-test');
    expect(call!.params.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*hi*', verbatim: true } },
    ]);
    expect(posted.channel).toBe('C0ONE');
    expect(posted.ts).toMatch(/^\d+\.\d+$/);
  });

  it("rejects with the client's error code and Slack's error, as the delivery worker reads them", async () => {
    slack.failNext('views.open', 1, { body: { ok: false, error: 'expired_trigger_id' } });
    const error = (await thread
      .lane('listener')
      .views.open({
        trigger_id: 't.1',
        view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] },
      })
      .catch((e: unknown) => e)) as { code?: string; data?: { error?: string } };
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(ErrorCode.PlatformError);
    expect(error.data?.error).toBe('expired_trigger_id');
    expect(classify(error)).toEqual({ retry: false });
  });

  it("hands a 429's Retry-After back on the delivery lane instead of waiting it out", async () => {
    slack.failNext('chat.update', 1, { status: 429, headers: { 'retry-after': '7' }, body: { ok: false } });
    const error = await thread
      .lane('delivery')
      .chat.update({ channel: 'C0ONE', ts: '1.2', text: 'x' })
      .catch((e: unknown) => e);
    expect(classify(error)).toEqual({ retry: true, afterMs: 7_000 });
  });

  it('starts a new thread when the last one died, and rejects the calls it had in flight', async () => {
    slack.intercept((call) => (call.method === 'views.publish' ? { delayMs: 1_000 } : undefined));
    const inFlight = thread.lane('delivery').views.publish({
      user_id: 'U1',
      view: { type: 'home', blocks: [] },
    });
    await slack.waitFor(() => slack.callsTo('views.publish').length > 0);
    await (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(inFlight).rejects.toThrow('the Web API thread stopped');
    await thread.lane('listener').views.push({
      trigger_id: 't.2',
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: 'y' },
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'y' } }],
      },
    });
    expect(slack.callsTo('views.push')).toHaveLength(1);
  });

  it('lets calls in flight finish when it stops, and refuses new ones', async () => {
    slack.intercept((call) => (call.method === 'chat.postMessage' ? { delayMs: 200 } : undefined));
    const inFlight = thread.lane('delivery').chat.postMessage({ channel: 'C0ONE', text: 'last words' });
    await new Promise((r) => setTimeout(r, 20));
    await thread.stop();
    await expect(inFlight).resolves.toBeDefined();
    expect(slack.callsTo('chat.postMessage').map((c) => c.succeeded)).toEqual([true]);
    await expect(
      thread.lane('delivery').chat.postMessage({ channel: 'C0ONE', text: 'late' }),
    ).rejects.toThrow('shutting down');
  });
});

describe('encoded arguments', () => {
  it('turns objects and arrays into JSON, keeps strings, numbers and booleans, drops undefined', () => {
    expect(
      encoded({ channel: 'C1', n: 2, unfurl: false, blocks: [{ type: 'divider' }], thread_ts: undefined }),
    ).toEqual({
      channel: 'C1',
      n: 2,
      unfurl: false,
      blocks: '[{"type":"divider"}]',
    });
  });
});
