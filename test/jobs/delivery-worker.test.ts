import { ErrorCode } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryWorker } from '../../src/jobs/delivery-worker.ts';
import { NotYet } from '../../src/jobs/post-pacer.ts';
import type { Db } from '../../src/store/database.ts';
import { type Claim, type Delivery, OutboxStore } from '../../src/store/outbox-store.ts';
import { openTempDatabase, type TempDatabase } from '../store/temp-database.ts';

const T0 = new Date('2026-11-22T10:00:00.000Z');
const silent = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => 'error',
  setName() {},
};

/** An outbox whose database refuses to record the first `failures` sends. */
class FlakyOutbox extends OutboxStore {
  constructor(private failures: number) {
    super();
  }
  override async markSent(db: Db, claim: Claim, at: string): Promise<boolean> {
    if (this.failures-- > 0) throw new Error('SQLITE_BUSY: database is locked');
    return super.markSent(db, claim, at);
  }
}

describe('DeliveryWorker', () => {
  let temp: TempDatabase;
  beforeEach(async () => {
    temp = await openTempDatabase();
  });
  afterEach(async () => {
    await temp.close();
  });

  it('never sends a message again because recording that it was sent failed for a moment', async () => {
    const outbox = new FlakyOutbox(2);
    await outbox.enqueue(
      temp.db,
      [{ to: { user: 'U0REP' }, notification: { type: 'rep_submitted', requestId: 1 } }],
      T0.toISOString(),
    );
    const sent: Delivery[] = [];
    const worker = new DeliveryWorker({
      db: temp.db,
      outbox,
      deliver: async (d) => void sent.push(d),
      now: () => T0,
      logger: silent as never,
    });
    expect(await worker.runOnce()).toBe(1);
    expect(await worker.runOnce()).toBe(0);
    expect(sent).toHaveLength(1);
    expect(await temp.db('outbox').first()).toMatchObject({ status: 'sent', attempts: 1 });
  });

  const enqueue = (outbox: OutboxStore, users: string[], at = T0) =>
    outbox.enqueue(
      temp.db,
      users.map((user, n) => ({ to: { user }, notification: { type: 'rep_submitted', requestId: n + 1 } })),
      at.toISOString(),
    );

  it('keeps sending to other conversations while one call hangs', async () => {
    const outbox = new OutboxStore();
    await enqueue(outbox, ['U0HANG', 'U0A', 'U0B', 'U0C']);
    let release: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sent: string[] = [];
    const worker = new DeliveryWorker({
      db: temp.db,
      outbox,
      deliver: async (d) => {
        if (d.conversation === 'U0HANG') await hung;
        sent.push(d.conversation);
      },
      now: () => new Date(),
      logger: silent as never,
      policy: { concurrency: 2, pollMs: 10 },
    });
    worker.start();
    try {
      await expect.poll(() => [...sent].sort(), { timeout: 2000 }).toEqual(['U0A', 'U0B', 'U0C']);
      release();
      await expect.poll(() => sent.length, { timeout: 2000 }).toBe(4);
    } finally {
      release();
      await worker.stop();
    }
  });

  it('lets a worker whose claim expired neither mark nor fail the delivery another worker claimed', async () => {
    const outbox = new OutboxStore();
    await enqueue(outbox, ['U0REP']);
    const [stale] = await outbox.claimDue(temp.db, T0.toISOString(), 15_000, 1);
    // Its lease passed (on the database's clock) and another worker claimed the delivery.
    await temp.db('outbox').update({ locked_until: '2000-01-01T00:00:00.000Z' });
    const later = '2026-11-22T10:00:20.000Z';
    const [fresh] = await outbox.claimDue(temp.db, later, 15_000, 1);
    expect(fresh!.id).toBe(stale!.id);
    expect(await outbox.markFailed(temp.db, stale!, 'timeout')).toBe(false);
    expect(await outbox.markSent(temp.db, stale!, later)).toBe(false);
    expect(await outbox.renewLease(temp.db, stale!, 15_000)).toBe(false);
    expect(await outbox.markSent(temp.db, fresh!, later)).toBe(true);
    // Two attempts: the lapsed claim and the one that sent it.
    expect(await temp.db('outbox').first()).toMatchObject({ status: 'sent', attempts: 2, claim_token: null });
  });

  it('puts back a delivery that must wait for its posting slot, without counting an attempt', async () => {
    const outbox = new OutboxStore();
    await outbox.enqueue(
      temp.db,
      [
        { to: 'managers', notification: { type: 'request_card', requestId: 1 } },
        { to: { user: 'U0REP' }, notification: { type: 'rep_submitted', requestId: 1 } },
      ],
      T0.toISOString(),
    );
    const sent: string[] = [];
    const worker = new DeliveryWorker({
      db: temp.db,
      outbox,
      deliver: async (d) => {
        if (d.conversation.startsWith('managers')) throw new NotYet(new Date(T0.getTime() + 1000));
        sent.push(d.conversation);
      },
      now: () => T0,
      logger: silent as never,
    });
    expect(await worker.runOnce()).toBe(2);
    expect(sent).toEqual(['U0REP']);
    const waiting = await temp.db('outbox').where({ status: 'pending' }).first();
    expect(waiting).toMatchObject({
      conversation: 'managers:request:1',
      attempts: 0,
      next_attempt_at: '2026-11-22T10:00:01.000Z',
      claim_token: null,
    });
  });

  it('looks for work again the moment a delivery it put back is due, not a poll later', async () => {
    const outbox = new OutboxStore();
    await enqueue(outbox, ['U0WAITS'], new Date());
    let tries = 0;
    const worker = new DeliveryWorker({
      db: temp.db,
      outbox,
      deliver: async () => {
        if (tries++ === 0) throw new NotYet(new Date(Date.now() + 100));
      },
      now: () => new Date(),
      logger: silent as never,
      policy: { pollMs: 60_000 },
    });
    worker.start();
    try {
      const deadline = Date.now() + 5_000;
      while ((await temp.db('outbox').where({ status: 'sent' })).length === 0) {
        if (Date.now() > deadline) throw new Error('not delivered within 5 s (the poll is a minute)');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(tries).toBe(2);
    } finally {
      await worker.stop();
    }
  });

  it("waits out Slack's Retry-After without counting it against the attempts", async () => {
    const outbox = new OutboxStore();
    await enqueue(outbox, ['U0BUSY']);
    const worker = new DeliveryWorker({
      db: temp.db,
      outbox,
      deliver: async () => {
        throw Object.assign(new Error('rate limited'), { code: ErrorCode.RateLimitedError, retryAfter: 3 });
      },
      now: () => T0,
      logger: silent as never,
      policy: { maxAttempts: 1 },
    });
    await worker.runOnce();
    expect(await temp.db('outbox').first()).toMatchObject({
      status: 'pending',
      attempts: 0,
      next_attempt_at: '2026-11-22T10:00:03.000Z',
    });
  });

  it('renews the lease of a delivery that takes longer than a third of it', async () => {
    const outbox = new OutboxStore();
    await enqueue(outbox, ['U0SLOW']);
    let leases: string[] = [];
    const worker = new DeliveryWorker({
      db: temp.db,
      outbox,
      deliver: async () => {
        await new Promise((r) => setTimeout(r, 250));
        leases = await temp.db('outbox').pluck('locked_until');
      },
      now: () => new Date(),
      logger: silent as never,
      policy: { leaseMs: 300 },
    });
    const claimedAt = Date.now();
    await worker.runOnce();
    expect(Date.parse(leases[0]!)).toBeGreaterThan(claimedAt + 300);
  });
});
