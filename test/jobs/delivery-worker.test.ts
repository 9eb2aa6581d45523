import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryWorker } from '../../src/jobs/delivery-worker.ts';
import type { Db } from '../../src/store/database.ts';
import { type Delivery, OutboxStore } from '../../src/store/outbox-store.ts';
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
  override async markSent(db: Db, id: number, at: string): Promise<void> {
    if (this.failures-- > 0) throw new Error('SQLITE_BUSY: database is locked');
    return super.markSent(db, id, at);
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
});
