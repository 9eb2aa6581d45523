import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ListenerRouter } from '../../src/slack/listeners/router.ts';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import { MANAGER } from '../support/journey.ts';
import { blockAction, blockSuggestion, viewSubmission } from '../support/signed-client.ts';

describe('routing by id', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('acks a click, a submission and a suggestion refdesk has no handler for, and does nothing else', async () => {
    const click = await h.client.interaction(
      blockAction({
        user: MANAGER,
        actionId: 'someone_elses_button',
        value: '{}',
        channel: MANAGERS_CHANNEL,
        responseUrl: h.nextResponseUrl(),
      }),
    );
    const submit = await h.client.interaction(
      viewSubmission({ user: MANAGER, callbackId: 'an_old_modal', values: {} }),
    );
    const suggest = await h.client.interaction(
      blockSuggestion({
        user: MANAGER,
        actionId: 'an_old_select',
        blockId: 'an_old_block',
        value: 'ja',
        callbackId: 'an_old_modal',
      }),
    );
    expect([click.status, submit.status, suggest.status]).toEqual([200, 200, 200]);
    expect(submit.text).toBe('');
    expect(JSON.parse(suggest.text)).toEqual({ options: [] });
    await new Promise((r) => setTimeout(r, 100));
    expect(h.slack.calls.filter((c) => /^(views|chat)\./.test(c.method))).toEqual([]);
    expect(h.slack.responses).toEqual([]);
  });
});

describe('ListenerRouter', () => {
  it('refuses two handlers for one id, which would leave one of them dead', () => {
    const router = new ListenerRouter();
    router.action('approve', async () => undefined);
    expect(() => router.action('approve', async () => undefined)).toThrow('two listeners for approve');
  });
});
