import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/fake-slack.ts';

const plain = (text: string) => ({ type: 'plain_text', text });
const search = {
  type: 'input',
  block_id: 'search',
  label: plain('Find'),
  element: { type: 'external_select', action_id: 'q' },
};
const noSubmit = { type: 'modal', title: plain('Contacts'), close: plain('Close'), blocks: [search] };

/** The fake Web API refuses the views real Slack refuses, or scenario tests would pass on views Slack never shows. */
describe('the fake Web API', () => {
  const slack = new FakeSlack();
  let client: WebClient;
  beforeAll(async () => {
    await slack.start();
    client = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  });
  afterAll(() => slack.stop());

  it.each([
    ['views.open', () => client.views.open({ trigger_id: 't', view: noSubmit as never })],
    ['views.push', () => client.views.push({ trigger_id: 't', view: noSubmit as never })],
    ['views.update', () => client.views.update({ view_id: 'V1', view: noSubmit as never })],
  ])('answers %s of a modal with an input and no submit with invalid_arguments', async (_method, call) => {
    const error = (await call().catch((e: unknown) => e)) as { data?: Record<string, unknown> };
    expect(error.data).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
      response_metadata: { messages: [expect.stringMatching(/^\[ERROR\] submit: /)] },
    });
  });

  it('opens the same modal with a submit, and publishes a Home tab, which has none', async () => {
    await expect(
      client.views.open({ trigger_id: 't', view: { ...noSubmit, submit: plain('Done') } as never }),
    ).resolves.toMatchObject({ ok: true });
    const home = { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] };
    await expect(client.views.publish({ user_id: 'U1', view: home as never })).resolves.toMatchObject({
      ok: true,
    });
  });
});
