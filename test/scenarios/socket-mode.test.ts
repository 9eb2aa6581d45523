import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEWS } from '../../src/slack/ids.ts';
import { Harness, MANAGERS_CHANNEL } from '../support/harness.ts';
import {
  approvalAnswers,
  clickOwnerAnswer,
  contactId,
  createRequest,
  currentAskId,
  MANAGER,
  openDecision,
  REP,
  requestStatus,
  submitRequest,
  submitView,
  textOf,
} from '../support/journey.ts';
import { sample } from '../support/signed-client.ts';
import { suggestionIn } from '../support/views.ts';

describe('Socket Mode, end to end over a local Socket Mode server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ socketMode: true });
  });
  afterAll(async () => {
    await h.stop();
  });

  let triggers = 0;
  const openForm = () => h.client.command({ user_id: REP, text: '', trigger_id: `trig-${++triggers}` });
  const opened = (trigger: string) =>
    h.slack.callsTo('views.open').filter((c) => c.params.trigger_id === trigger);

  let events = 0;
  const homeOpened = (user: string, eventId = `EvSocket${++events}`) => ({
    ...sample('AppHomeOpenedPayload'),
    type: 'event_callback',
    team_id: 'T0123',
    api_app_id: 'A0123',
    event_id: eventId,
    authorizations: [{ team_id: 'T0123', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    event: { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: '1.1' },
  });
  const publishes = (user: string) =>
    h.slack.callsTo('views.publish').filter((c) => c.params.user_id === user);

  it('connects with the app token through SLACK_API_URL, and /healthz says so', async () => {
    const open = h.slack.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe(h.socket.appToken);
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok');
    expect((await fetch(`${h.url}/slack/events`, { method: 'POST' })).status).toBe(404);
  });

  it('acks /reference and opens the request modal', async () => {
    const res = await openForm();
    expect(res.status).toBe(200);
    const call = await h.slack.waitFor(() => opened(`trig-${triggers}`)[0]);
    expect((call.params.view as { callback_id: string }).callback_id).toBe(VIEWS.request);
  });

  it('answers a bad submission with field errors in the ack, and stores nothing', async () => {
    const res = await submitRequest(h, { prospect: '', neededBy: '2020-01-01' });
    expect(res.status).toBe(200);
    const body = res.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors)).toEqual(expect.arrayContaining(['prospect', 'needed_by']));
    expect(await h.db('reference_requests')).toHaveLength(0);
  });

  it('runs the core loop: the card, the contact typeahead, Approve and the owner agreeing', async () => {
    const jane = await contactId(h, 'jane@acme.example');
    const id = await createRequest(h, { preferredContactId: String(jane) });
    expect(textOf(h.slack.messagesTo(MANAGERS_CHANNEL).at(-1))).toContain('approve_request');

    const modal = await openDecision(h, 'approve', id);
    expect(JSON.stringify(modal)).toContain('Jane');

    const typeahead = await h.client.interaction(suggestionIn(modal, MANAGER, 'contact_select', 'kim'));
    const options = typeahead.json().options as { text: { text: string } }[];
    expect(options.map((o) => o.text.text)).toEqual([expect.stringContaining('Kim Lee')]);

    const approved = await submitView(h, modal, MANAGER, approvalAnswers(modal, { note: 'Thanks!' }));
    expect(approved.status).toBe(200);
    expect(approved.text).toBe('');
    await h.settled();
    expect(await requestStatus(h, id)).toBe('awaiting_owner');

    await clickOwnerAnswer(h, await currentAskId(h, id), 'agreed');
    await h.settled();
    expect(await requestStatus(h, id)).toBe('agreed');
    expect(textOf(h.slack.messagesTo(REP).at(-1))).toContain('jane@acme.example');
  });

  it('publishes the Home tab on app_home_opened', async () => {
    const res = await h.client.event(homeOpened(REP));
    expect(res.status).toBe(200);
    await h.slack.waitFor(() => publishes(REP).length > 0);
  });

  it('reconnects when Slack sends disconnect, and the next command works once', async () => {
    const before = h.socket.connections;
    h.socket.askToReconnect();
    await h.socket.connected(before + 1);
    expect(h.slack.callsTo('apps.connections.open')).toHaveLength(before + 1);
    expect((await openForm()).status).toBe(200);
    await h.slack.waitFor(() => opened(`trig-${triggers}`).length);
    expect(opened(`trig-${triggers}`)).toHaveLength(1);
  });

  it('reconnects when the connection drops; /healthz says 503 meanwhile; a redelivered event is handled once', async () => {
    const before = h.socket.connections;
    const homes = publishes(MANAGER).length;
    expect((await h.client.event(homeOpened(MANAGER, 'EvAcrossDrop'))).status).toBe(200);
    await h.slack.waitFor(() => publishes(MANAGER).length > homes);

    h.socket.drop();
    await h.slack.waitFor(async () => (await fetch(`${h.url}/healthz`)).status === 503);
    await h.socket.connected(before + 1);
    await h.slack.waitFor(async () => (await fetch(`${h.url}/healthz`)).status === 200);

    // Slack retries an event whose ack it did not see: the same event_id, handled once.
    const retried = await h.client.event(homeOpened(MANAGER, 'EvAcrossDrop'), {
      headers: { 'x-slack-retry-num': '1' },
    });
    expect(retried.status).toBe(200);
    expect((await openForm()).status).toBe(200);
    await h.slack.waitFor(() => opened(`trig-${triggers}`).length);
    await h.settled();
    expect(publishes(MANAGER)).toHaveLength(homes + 1);
    expect(opened(`trig-${triggers}`)).toHaveLength(1);
  });

  it('acknowledged every envelope exactly once', () => {
    expect(h.socket.unacknowledged.size).toBe(0);
    expect([...h.socket.acks.values()].every((n) => n === 1)).toBe(true);
  });
});
