import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { down, up } from '../../migrations/20261202090000_outbox_kind.ts';
import { OutboxStore } from '../../src/store/outbox-store.ts';
import { openTempDatabase, type TempDatabase } from './temp-database.ts';

describe('migration: the outbox says what kind each row is', () => {
  let temp: TempDatabase;
  beforeEach(async () => {
    temp = await openTempDatabase();
  });
  afterEach(async () => {
    await temp.close();
  });

  it('fills the kind of rows written before it, so a waiting Home refresh is found by kind', async () => {
    const { db } = temp;
    await down(db);
    const at = '2026-12-02T09:00:00.000Z';
    await db('outbox').insert([
      {
        conversation: 'home:U0A',
        notification: '{"type":"home_refresh","userId":"U0A"}',
        status: 'pending',
        attempts: 0,
        next_attempt_at: at,
        created_at: at,
      },
      {
        conversation: 'U0A',
        notification: '{"type":"rep_submitted","requestId":1}',
        status: 'pending',
        attempts: 0,
        next_attempt_at: at,
        created_at: at,
      },
    ]);
    await up(db);
    expect(await db('outbox').orderBy('id').pluck('kind')).toEqual(['home_refresh', 'rep_submitted']);
    const outbox = new OutboxStore();
    expect(await outbox.pendingOfKind(db, 'home_refresh', ['home:U0A', 'U0A'])).toEqual(['home:U0A']);
  });
});
