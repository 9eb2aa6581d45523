import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { up } from '../../migrations/20261202110000_pauses_only_on_paused_contacts.ts';
import type { Db } from '../../src/store/database.ts';
import { insertAccount, insertContact } from './directory-rows.ts';
import { openTempDatabase, type TempDatabase } from './temp-database.ts';

describe('migration: pauses only on paused contacts', () => {
  let temp: TempDatabase;
  let db: Db;
  beforeEach(async () => {
    temp = await openTempDatabase();
    db = temp.db;
  });
  afterEach(async () => {
    await temp.close();
  });

  it('clears the pause an old import left on an active or retired contact, and only there', async () => {
    const acme = await insertAccount(db, { name: 'Acme' });
    const pause = { pausedUntil: '2027-01-31', pauseReason: 'Renewal in progress' };
    const paused = await insertContact(db, acme, { name: 'Pat', status: 'paused', ...pause });
    const active = await insertContact(db, acme, { name: 'Ann', status: 'active', ...pause });
    const retired = await insertContact(db, acme, { name: 'Rob', status: 'retired', pauseReason: 'Left' });
    await up(db);
    const rows = await db('contacts').orderBy('id').select('id', 'paused_until', 'pause_reason');
    expect(rows).toMatchObject([
      { id: paused, paused_until: '2027-01-31', pause_reason: 'Renewal in progress' },
      { id: active, paused_until: null, pause_reason: null },
      { id: retired, paused_until: null, pause_reason: null },
    ]);
  });
});
