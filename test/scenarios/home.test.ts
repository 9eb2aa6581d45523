import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.ts';
import {
  contactId,
  createRequest,
  currentAskId,
  MANAGER,
  OWNER,
  openHomeTab,
  REP,
  requestStatus,
  submitApproval,
  textOf,
} from '../support/journey.ts';
import { actionIn, publishedHome } from '../support/views.ts';

describe('App Home', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  afterAll(() => h.stop());

  const openHome = (user: string) => openHomeTab(h, user);
  const publishes = (user: string) =>
    h.slack.callsTo('views.publish').filter((c) => c.params.user_id === user);
  const latest = (user: string) => textOf(publishes(user).at(-1)?.params.view as Record<string, unknown>);

  /** A click on a button of `user`'s Home tab as refdesk last published it (no response_url: the container is the view). */
  const homeClick = (user: string, actionId: string, value: object) =>
    h.client.interaction(
      actionIn(publishedHome(h.slack, user), user, { actionId, value: JSON.stringify(value) }),
    );

  it('shows a rep their asks with status, next step and a cancel button, and nothing of the queue', async () => {
    const id = await createRequest(h);
    const home = await openHome(REP);
    expect(home).toContain(`*REF-${id}* · Globex Prospect Inc`);
    expect(home).toContain('Waiting for a reference manager');
    expect(home).toContain('A reference manager picks a contact or declines');
    expect(home).toContain('cancel_request');
    expect(home).not.toContain('Reference queue');
  });

  it('shows the account owner what waits on them; answering from the Home works and refreshes it', async () => {
    const id = await createRequest(h);
    await submitApproval(h, id, await contactId(h, 'jane@acme.example'));
    await h.settled();
    const home = await openHome(OWNER);
    expect(home).toContain('Waiting for your answer');
    expect(home).toContain('owner_agreed');
    const askId = await currentAskId(h, id);
    const before = publishes(OWNER).length;
    await homeClick(OWNER, 'owner_agreed', { askId });
    await h.settled();
    expect(await requestStatus(h, id)).toBe('agreed');
    await h.slack.waitFor(() => publishes(OWNER).length > before);
    expect(latest(OWNER)).not.toContain('Waiting for your answer');
  });

  it('shows managers the queue, contacts near their limits and influenced revenue', async () => {
    const jane = await contactId(h, 'jane@acme.example');
    const first = await createRequest(h, { neededBy: '2099-01-01' });
    await submitApproval(h, first, jane);
    await createRequest(h, { prospect: 'Second Prospect' });
    await h.settled();
    const home = await openHome(MANAGER);
    expect(home).toContain('Reference queue');
    expect(home).toMatch(/To decide\* \(1\)/);
    expect(home).toMatch(/Waiting on account owners\* \(1\)/);
    expect(home).toContain('<@U0OWNER1>');
    expect(home).toContain('Contacts near their limits');
    expect(home).toContain('*Jane Doe* · Acme Health · 1 ask in 90 days · 1 open');
    expect(home).toContain('Influenced revenue: 0 in 0 won deals');
  });

  it("ends a manager's Home with the Program section: the last 90 days against the 90 before, and a chart", async () => {
    await createRequest(h);
    await createRequest(h, { prospect: 'Second Prospect' });
    await h.settled();
    const home = await openHome(MANAGER);
    expect(home).toContain('Program: the last 90 days');
    expect(home).toContain('*Asks:* 2 (0 the 90 days before)');
    const view = publishes(MANAGER).at(-1)!.params.view as { blocks: { type: string; alt_text?: string }[] };
    const chart = view.blocks.find((b) => b.type === 'image');
    expect(chart?.alt_text).toContain('Asks 2 (before: 0)');
    expect(await openHome(REP)).not.toContain('Program: the last 90 days');
  });

  it('refreshes the Home of the people a change concerns, once they have opened it', async () => {
    const id = await createRequest(h);
    await openHome(REP);
    const before = publishes(REP).length;
    await submitApproval(h, id, await contactId(h, 'jane@acme.example'));
    await h.settled();
    await h.slack.waitFor(() => publishes(REP).length > before);
    expect(latest(REP)).toContain('Approved, waiting for the account owner');
    // The owner never opened their Home: nothing is published for them.
    expect(publishes(OWNER)).toHaveLength(0);
  });

  it("refreshes the managers' Homes when the queue changes, once they have opened them", async () => {
    expect(await openHome(MANAGER)).not.toContain('Queue Prospect');
    const before = publishes(MANAGER).length;
    await createRequest(h, { prospect: 'Queue Prospect' });
    await h.settled();
    await h.slack.waitFor(() => publishes(MANAGER).length > before);
    expect(latest(MANAGER)).toMatch(/To decide\* \(1\)/);
    expect(latest(MANAGER)).toContain('Queue Prospect');
    expect(publishes('U0RM2')).toHaveLength(0); // the other manager never opened theirs
  });

  it("refreshes the actor's own Home after a change nobody is messaged about", async () => {
    const id = await createRequest(h);
    await openHome(REP);
    const before = publishes(REP).length;
    await homeClick(REP, 'cancel_request', { requestId: id });
    await h.settled();
    await h.slack.waitFor(() => publishes(REP).length > before);
    expect(latest(REP)).toContain('Cancelled');
  });

  it('cancels from the Home and answers by DM, since a Home click has no response_url', async () => {
    const id = await createRequest(h);
    await openHome(REP);
    const home = publishedHome(h.slack, REP);
    const cancel = { actionId: 'cancel_request', value: JSON.stringify({ requestId: id }) };
    await h.client.interaction(actionIn(home, REP, cancel));
    await h.settled();
    expect(await requestStatus(h, id)).toBe('cancelled');
    await h.slack.waitFor(() => h.slack.messagesTo(REP).some((m) => textOf(m).includes('is cancelled')));
    // The same button, sent as someone else.
    await h.client.interaction(actionIn(home, 'U0OTHER', cancel));
    await h.slack.waitFor(() => h.slack.messagesTo('U0OTHER').some((m) => textOf(m).includes('not yours')));
  });
});
