import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ListenerRouter } from '../../src/slack/listeners/router.ts';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import { MANAGER } from '../support/journey.ts';
import { blockAction, blockSuggestion, viewSubmission } from '../support/signed-client.ts';

/** A moment later, refdesk has opened no view, posted no message and answered no response_url. */
async function expectNothingSent(h: Harness): Promise<void> {
  await new Promise((r) => setTimeout(r, 100));
  expect(h.slack.calls.filter((c) => /^(views|chat)\./.test(c.method))).toEqual([]);
  expect(h.slack.responses).toEqual([]);
}

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
    await expectNothingSent(h);
  });

  it('acks a slash command, a closed modal and an event refdesk does not use, and does nothing else', async () => {
    const command = await h.client.command({ command: '/someone-elses', text: 'hi', user_id: MANAGER });
    const closed = await h.client.interaction({
      type: 'view_closed',
      team: { id: 'T0123', domain: 'example' },
      user: { id: MANAGER, team_id: 'T0123' },
      api_app_id: 'A0123',
      view: { id: 'V1', callback_id: 'an_old_modal', type: 'modal' },
      is_cleared: false,
    });
    const event = await h.client.event({
      token: 'x',
      team_id: 'T0123',
      api_app_id: 'A0123',
      type: 'event_callback',
      event_id: 'Ev0UNUSED',
      event_time: 1,
      event: { type: 'reaction_added', user: MANAGER, reaction: 'tada', item: { type: 'message' } },
    });
    expect([command.status, closed.status, event.status]).toEqual([200, 200, 200]);
    expect([command.text, closed.text]).toEqual(['', '']);
    await expectNothingSent(h);
  });
});

describe('ListenerRouter', () => {
  it('refuses two handlers for one id, which would leave one of them dead', () => {
    const router = new ListenerRouter();
    router.action('approve', async () => undefined);
    expect(() => router.action('approve', async () => undefined)).toThrow('two listeners for approve');
    router.command('/reference', async () => undefined);
    expect(() => router.command('/reference', async () => undefined)).toThrow('two listeners for /reference');
  });
});
