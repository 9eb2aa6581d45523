import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS, COMMAND, VIEWS } from '../../src/slack/ids.ts';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import { MANAGER } from '../support/journey.ts';
import { blockAction, blockSuggestion, viewSubmission } from '../support/signed-client.ts';

/** Once refdesk has handled everything it was sent, it has opened no view, posted no message and answered no response_url. */
async function expectNothingSent(h: Harness): Promise<void> {
  await h.idle();
  await h.settled();
  expect(h.slack.calls.filter((c) => /^(views|chat)\./.test(c.method))).toEqual([]);
  expect(h.slack.responses).toEqual([]);
}

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
beforeEach(() => h.reset());
afterAll(() => h.stop());

describe('what refdesk has no listener for', () => {
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

describe('registering listeners', () => {
  it('refuses a second listener for an id, which would answer one click twice', () => {
    const { app } = h.refdesk;
    expect(() => app.action(ACTIONS.approve, async () => undefined)).toThrow(
      `two action listeners for ${ACTIONS.approve}`,
    );
    expect(() => app.command(COMMAND, async () => undefined)).toThrow(`two command listeners for ${COMMAND}`);
    expect(() => app.view(VIEWS.request, async () => undefined)).toThrow(
      `two view listeners for ${VIEWS.request}`,
    );
  });
});
