import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Housekeeping } from '../../src/services/housekeeping.ts';
import { EventStore } from '../../src/store/event-store.ts';
import { OutboxStore } from '../../src/store/outbox-store.ts';
import { openTempDatabase, type TempDatabase } from '../store/temp-database.ts';

const NOW = new Date('2026-12-02T12:00:00.000Z');
const OLD = '2026-10-01T12:00:00.000Z';
const RECENT = '2026-11-30T12:00:00.000Z';

describe('Housekeeping', () => {
  let temp: TempDatabase;

  beforeEach(async () => {
    temp = await openTempDatabase();
  });
  afterEach(async () => {
    await temp.close();
  });

  const delivery = (status: string, at: string, i: number) => ({
    conversation: `U0X${i}`,
    notification: JSON.stringify({ type: 'rep_submitted', requestId: i }),
    kind: 'rep_submitted',
    status,
    attempts: 1,
    next_attempt_at: at,
    created_at: at,
    sent_at: status === 'sent' ? at : null,
  });

  it('prunes sent messages and handled event ids older than the retention, in batches, and nothing else', async () => {
    const db = temp.db;
    const oldSent = Array.from({ length: 1_201 }, (_, i) => delivery('sent', OLD, i));
    await db.batchInsert('outbox', oldSent, 300);
    await db('outbox').insert([
      delivery('sent', RECENT, 5000),
      delivery('pending', OLD, 5001),
      delivery('failed', OLD, 5002),
    ]);
    await db('processed_events').insert([
      { event_id: 'Ev0OLD', received_at: OLD },
      { event_id: 'Ev0NEW', received_at: RECENT },
    ]);
    const housekeeping = new Housekeeping({
      db,
      outbox: new OutboxStore(),
      events: new EventStore(),
      retentionDays: 30,
      now: () => NOW,
    });

    expect(await housekeeping.run()).toEqual({ sentMessages: 1_201, eventIds: 1 });
    expect(await db('outbox').orderBy('id').select('status', 'created_at')).toEqual([
      { status: 'sent', created_at: RECENT },
      { status: 'pending', created_at: OLD },
      { status: 'failed', created_at: OLD },
    ]);
    expect(await db('processed_events').pluck('event_id')).toEqual(['Ev0NEW']);
    expect(await housekeeping.run()).toEqual({ sentMessages: 0, eventIds: 0 });
  });
});
