import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGERS_CHANNEL } from '../support/harness.ts';
import { contactId, MANAGER, REP, requestStatus, submitApproval, submitRequest } from '../support/journey.ts';
import {
  duplicatePosts,
  eventually,
  postsPerDelivery,
  printLogsOnFailure,
  ReplicaSet,
} from '../support/replicas.ts';

/** Kinds of notification that post a new message every time (a card or a nudge may update one instead). */
const ALWAYS_POSTED = ['rep_submitted', 'rep_approved'];

describe('a replica killed with kill -9 while it delivers', () => {
  let set: ReplicaSet;
  beforeAll(async () => {
    set = await ReplicaSet.start();
  }, 90_000);
  printLogsOnFailure(() => set);
  afterAll(() => set?.stop());

  it('leaves its deliveries to the other replica, and every message is posted exactly once', async () => {
    const [doomed] = set.replicas;
    const survivor = set.driver(1);
    const mark = await set.mark();
    // Slack acts on the first post of replica 0 but its answer never comes back; the next ones hang
    // without Slack doing anything, until the connection drops.
    let posts = 0;
    set.slack.intercept((call) => {
      if (call.method !== 'chat.postMessage' || call.token !== doomed!.token) return undefined;
      return ++posts === 1 ? { acted: true, delayMs: 90_000 } : { reset: true, delayMs: 90_000 };
    });

    // The rep's submission commits on replica 0, whose worker at once claims the card and the DM.
    const submitted = await submitRequest(set.driver(0));
    expect(submitted.text).toBe('');
    await eventually(() => posts >= 2, "replica 0's card and DM to be in flight", 20_000);
    await doomed!.kill('SIGKILL');

    // Work goes on through replica 1 meanwhile.
    const jane = await contactId(survivor, 'jane@acme.example');
    const first = (await set.outboxSince(mark)).find((r) => r.kind === 'request_card')!.notification
      .requestId as number;
    const kim = await contactId(survivor, 'kim@globex.example');
    expect((await submitRequest(survivor, { prospect: 'Second Prospect' })).text).toBe('');
    const { second } = (await set.db('reference_requests').max({ second: 'id' }).first()) as {
      second: number;
    };
    expect(second).not.toBe(first);
    expect((await submitApproval(survivor, first, jane, null, MANAGER)).text).toBe('');
    expect((await submitApproval(survivor, second, kim, null, MANAGER)).text).toBe('');
    // Replica 0's claims run out (15 s leases) and replica 1 sends what they held.
    await set.settled(75_000);

    expect(await requestStatus(survivor, first)).toBe('awaiting_owner');
    expect(await requestStatus(survivor, second)).toBe('awaiting_owner');
    const rows = await set.outboxSince(mark);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    const calls = set.callsSince(mark);
    expect(duplicatePosts(calls, rows)).toEqual({});
    const perDelivery = postsPerDelivery(calls);
    const posted = rows
      .filter((r) => ALWAYS_POSTED.includes(r.kind))
      .map((r) => [r.id, r.kind, perDelivery.get(r.id)]);
    expect(posted).toEqual(posted.map(([id, kind]) => [id, kind, 1]));
    const cards = calls.filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.succeeded &&
        c.params.channel === MANAGERS_CHANNEL &&
        !c.params.thread_ts,
    );
    expect(cards).toHaveLength(2);
    const repDms = calls.filter(
      (c) => c.method === 'chat.postMessage' && c.succeeded && c.params.channel === REP,
    );
    expect(repDms).toHaveLength(4);
  }, 90_000);
});
