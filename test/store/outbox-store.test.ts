import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OutgoingNotification, recipientOf } from '../../src/domain/notifications.ts';
import type { Db } from '../../src/store/database.ts';
import { OutboxStore } from '../../src/store/outbox-store.ts';
import { onPostgres } from '../support/test-database.ts';
import { openTempDatabase, type TempDatabase } from './temp-database.ts';

const T0 = '2026-11-22T10:00:00.000Z';
const T1 = '2026-11-22T10:00:10.000Z';
const LEASE_MS = 60_000;
const LATER = '2026-11-22T11:00:00.000Z';

const toUser = (user: string, requestId: number): OutgoingNotification => ({
  to: { user },
  notification: { type: 'rep_submitted', requestId },
});
const toManagers = (requestId: number): OutgoingNotification => ({
  to: 'managers',
  notification: { type: 'request_card', requestId },
});

describe('OutboxStore', () => {
  let temp: TempDatabase;
  let db: Db;
  const outbox = new OutboxStore();

  beforeEach(async () => {
    temp = await openTempDatabase();
    db = temp.db;
  });

  afterEach(async () => {
    await temp.close();
  });

  const claimIds = async (now: string, limit = 10) =>
    (await outbox.claimDue(db, now, LEASE_MS, limit)).map((d) => d.id);
  const row = async (id: number) => db('outbox').where({ id }).first();
  /** Leases run on the database's clock: a test ends them by moving them into the past. */
  const endLeases = () =>
    db('outbox').whereNotNull('locked_until').update({ locked_until: '2000-01-01T00:00:00.000Z' });

  /** The claim a test's delivery is under now, as the worker that claimed it holds it. */
  const held = async (id: number) => ({ id, token: (await row(id)).claim_token as string });

  it('enqueues nothing for an empty list', async () => {
    await outbox.enqueue(db, [], T0);
    expect(await db('outbox')).toEqual([]);
  });

  it('claims what is due with its conversation, notification, attempts and when it was queued', async () => {
    await outbox.enqueue(db, [toUser('U0REP', 1), toManagers(1)], T0);
    const before = new Date(Date.now() - 1000).toISOString();
    const claimed = await outbox.claimDue(db, T0, LEASE_MS, 10);
    expect(claimed).toEqual([
      {
        id: 1,
        conversation: 'U0REP',
        notification: { type: 'rep_submitted', requestId: 1 },
        attempts: 0,
        createdAt: T0,
        token: expect.any(String),
      },
      {
        id: 2,
        conversation: 'managers:request:1',
        notification: { type: 'request_card', requestId: 1 },
        attempts: 0,
        createdAt: T0,
        token: expect.any(String),
      },
    ]);
    const { status, locked_until } = await row(1);
    expect(status).toBe('pending');
    // A minute on the database's clock (the app's clock, T0 here, plays no part in leases).
    expect(Date.parse(locked_until)).toBeGreaterThan(Date.parse(before) + LEASE_MS);
  });

  it('claims only the oldest pending delivery of each conversation', async () => {
    await outbox.enqueue(db, [toUser('U0A', 1), toUser('U0A', 2), toManagers(1), toUser('U0B', 3)], T0);
    await outbox.enqueue(db, [toUser('U0A', 4), toManagers(1), toManagers(2)], T0);
    const claimed = await outbox.claimDue(db, T0, LEASE_MS, 10);
    // In the managers' channel each request is a queue of its own: request 2 need not wait for request 1.
    expect(claimed.map((d) => [d.id, d.conversation])).toEqual([
      [1, 'U0A'],
      [3, 'managers:request:1'],
      [4, 'U0B'],
      [7, 'managers:request:2'],
    ]);
  });

  it("keeps Home refreshes out of the DM's queue and sends each queue's messages to the right place", async () => {
    await outbox.enqueue(
      db,
      [toUser('U0A', 1), { to: { user: 'U0A' }, notification: { type: 'home_refresh', userId: 'U0A' } }],
      T0,
    );
    const claimed = await outbox.claimDue(db, T0, LEASE_MS, 10);
    expect(claimed.map((d) => d.conversation)).toEqual(['U0A', 'home:U0A']);
    expect(claimed.map((d) => recipientOf(d.conversation))).toEqual([{ user: 'U0A' }, { user: 'U0A' }]);
    expect(recipientOf('managers:request:7')).toBe('managers');
    expect(recipientOf('managers')).toBe('managers');
  });

  it('does not claim a leased delivery again before the lease ends, nor the ones behind it', async () => {
    await outbox.enqueue(db, [toUser('U0A', 1), toUser('U0A', 2)], T0);
    expect(await claimIds(T0)).toEqual([1]);
    expect(await claimIds(T1)).toEqual([]);
    // The app's clock moving on does not end a lease: only the database's does.
    expect(await claimIds(LATER)).toEqual([]);
    // A worker that died: once the lease has passed, the same head is claimable again, leased anew.
    await endLeases();
    const [again] = await outbox.claimDue(db, T1, LEASE_MS, 10);
    expect(again!.id).toBe(1);
    expect(Date.parse((await row(1)).locked_until)).toBeGreaterThan(Date.now());
    // The lapsed claim may have posted before its worker died: it counts as an attempt, so the next one looks first.
    expect(again!.attempts).toBe(1);
  });

  it('makes the next delivery of a conversation claimable once the head is sent', async () => {
    await outbox.enqueue(db, [toUser('U0A', 1), toUser('U0A', 2), toUser('U0A', 3)], T0);
    expect(await claimIds(T0)).toEqual([1]);
    await outbox.markSent(db, await held(1), T1);
    expect(await row(1)).toMatchObject({ status: 'sent', sent_at: T1, locked_until: null, attempts: 1 });
    expect(await claimIds(T1)).toEqual([2]);
    await outbox.markSent(db, await held(2), T1);
    expect(await claimIds(T1)).toEqual([3]);
    await outbox.markSent(db, await held(3), T1);
    expect(await claimIds(T1)).toEqual([]);
  });

  it('does not let a failed delivery block its conversation', async () => {
    await outbox.enqueue(db, [toUser('U0A', 1), toUser('U0A', 2)], T0);
    expect(await claimIds(T0)).toEqual([1]);
    await outbox.markFailed(db, await held(1), 'channel_not_found');
    expect(await row(1)).toMatchObject({
      status: 'failed',
      last_error: 'channel_not_found',
      locked_until: null,
      attempts: 1,
    });
    expect(await claimIds(T1)).toEqual([2]);
  });

  it('does not claim a delivery rescheduled into the future, and keeps the ones behind it waiting', async () => {
    await outbox.enqueue(db, [toUser('U0A', 1), toUser('U0A', 2), toUser('U0B', 3)], T0);
    expect(await claimIds(T0)).toEqual([1, 3]);
    await outbox.markSent(db, await held(3), T1);
    await outbox.reschedule(db, await held(1), LATER, 'ratelimited');
    expect(await row(1)).toMatchObject({
      status: 'pending',
      next_attempt_at: LATER,
      last_error: 'ratelimited',
      locked_until: null,
      attempts: 1,
    });
    // Not due, and message 2 must not overtake it.
    expect(await claimIds(T1)).toEqual([]);
    await endLeases();
    expect(await claimIds(T1)).toEqual([]);
    const claimed = await outbox.claimDue(db, LATER, LEASE_MS, 10);
    expect(claimed.map((d) => [d.id, d.attempts])).toEqual([[1, 1]]);
  });

  it('does not claim a delivery enqueued for later', async () => {
    await outbox.enqueue(db, [toUser('U0A', 1)], LATER);
    expect(await claimIds(T0)).toEqual([]);
    expect(await outbox.nextDueAt(db)).toBe(LATER);
    expect(await claimIds(LATER)).toEqual([1]);
  });

  it('respects the limit, oldest first', async () => {
    await outbox.enqueue(db, [toUser('U0A', 1), toUser('U0B', 2), toUser('U0C', 3)], T0);
    expect(await claimIds(T0, 2)).toEqual([1, 2]);
    expect(await claimIds(T0, 2)).toEqual([3]);
  });

  it('marks an unreadable notification failed instead of claiming it', async () => {
    await db('outbox').insert({
      conversation: 'U0A',
      notification: JSON.stringify({ type: 'no_such_type' }),
      status: 'pending',
      attempts: 0,
      next_attempt_at: T0,
      created_at: T0,
    });
    await outbox.enqueue(db, [toUser('U0A', 2)], T0);
    expect(await claimIds(T0)).toEqual([]);
    expect(await row(1)).toMatchObject({ status: 'failed' });
    expect((await row(1)).last_error).toMatch(/^unreadable notification/);
    expect(await claimIds(T0)).toEqual([2]);
  });

  it('knows when the next pending delivery is due', async () => {
    expect(await outbox.nextDueAt(db)).toBeNull();
    await outbox.enqueue(db, [toUser('U0A', 1)], LATER);
    await outbox.enqueue(db, [toUser('U0B', 2)], T1);
    expect(await outbox.nextDueAt(db)).toBe(T1);
    await outbox.markSent(db, await held(2), T1);
    expect(await outbox.nextDueAt(db)).toBe(LATER);
  });

  it('remembers message refs by key', async () => {
    expect(await outbox.getRef(db, 'card:1')).toBeNull();
    await outbox.saveRef(db, 'card:1', { channel: 'C0RM', ts: '1700000000.000100' }, T0);
    expect(await outbox.getRef(db, 'card:1')).toEqual({ channel: 'C0RM', ts: '1700000000.000100' });
    await outbox.saveRef(db, 'card:1', { channel: 'C0RM', ts: '1700000000.000200' }, T1);
    expect(await outbox.getRef(db, 'card:1')).toEqual({ channel: 'C0RM', ts: '1700000000.000200' });
  });

  it.runIf(onPostgres)('skips rows another replica is claiming instead of waiting for them', async () => {
    await outbox.enqueue(db, [toUser('U0A', 1), toUser('U0B', 2)], T0);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Another replica's claim, still open: it holds delivery 1's row.
    const other = db.transaction(async (trx) => {
      await trx('outbox').where({ id: 1 }).forUpdate().first();
      await held;
    });
    await new Promise((r) => setTimeout(r, 50));
    try {
      expect(await claimIds(T0)).toEqual([2]);
    } finally {
      release();
      await other;
    }
  });

  it('never gives one delivery to two workers claiming at the same moment', async () => {
    const users = Array.from({ length: 40 }, (_, i) => toUser(`U0X${i}`, i + 1));
    await outbox.enqueue(db, users, T0);
    const claims = await Promise.all(Array.from({ length: 8 }, () => claimIds(T0, 10)));
    const ids = claims.flat();
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(40);
  });
});
