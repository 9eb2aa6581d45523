import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGERS_CHANNEL } from '../support/harness.ts';
import { clickCard, createRequest, type Driver, modalOpenedBy } from '../support/journey.ts';
import { eventEnvelope, eventually, printLogsOnFailure, ReplicaSet } from '../support/replicas.ts';

/** A manager who leaves the managers' channel during the test. */
const LEAVER = 'U0RM3';
const STAYING = ['U0RM1', 'U0RM2'];

/** What `user` sees after clicking Approve on the card: 'modal', or the reply that refused them. */
async function approveClick(d: Driver, requestId: number, user: string): Promise<string> {
  try {
    await modalOpenedBy(d, await clickCard(d, 'approve', requestId, user));
    return 'modal';
  } catch (error) {
    return (error as Error).message;
  }
}

describe("managers are the managers' channel's members, on every replica", () => {
  let set: ReplicaSet;
  beforeAll(async () => {
    // REFERENCE_MANAGERS is unset: the replicas ask Slack who is in the channel.
    set = await ReplicaSet.start({ channelMembers: [...STAYING, LEAVER] });
  }, 90_000);
  printLogsOnFailure(() => set);
  afterAll(() => set?.stop());

  it('refuses a manager who left the channel on the replica that did not get the event, within 10 s', async () => {
    const [first, second] = [set.driver(0), set.driver(1)];
    const id = await createRequest(first);
    // Both replicas know the manager (their cached lists hold them): the click opens the modal on each.
    expect(await approveClick(first, id, LEAVER)).toBe('modal');
    expect(await approveClick(second, id, LEAVER)).toBe('modal');

    set.slack.managers = [...STAYING];
    const left = eventEnvelope({
      type: 'member_left_channel',
      user: LEAVER,
      channel: MANAGERS_CHANNEL,
      channel_type: 'C',
      team: 'T0123',
    });
    // Slack sends the event to one replica only (whichever its load balancer picks).
    expect((await set.at(0).client.event(left)).status).toBe(200);

    const refused = /Only reference managers/;
    await Promise.all([
      eventually(
        async () => refused.test(await approveClick(first, id, LEAVER)),
        'replica 0, which got the event, to refuse the manager who left',
        10_000,
      ),
      eventually(
        async () => refused.test(await approveClick(second, id, LEAVER)),
        'replica 1, which did not get the event, to refuse the manager who left',
        10_000,
      ),
    ]);
    // The managers who stayed still can.
    expect(await approveClick(second, id, STAYING[0]!)).toBe('modal');
  }, 90_000);
});
