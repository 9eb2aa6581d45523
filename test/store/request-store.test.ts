import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/database.ts';
import { RequestStore } from '../../src/store/request-store.ts';
import { askFor, insertAccount, insertContact, insertRequest } from './directory-rows.ts';
import { openTempDatabase, type TempDatabase } from './temp-database.ts';

const SINCE = '2026-10-01T00:00:00.000Z';

describe('RequestStore reads for many requests at once', () => {
  let temp: TempDatabase;
  let db: Db;
  const store = new RequestStore();
  const ids = { ann: 0, bob: 0, cat: 0 };

  beforeEach(async () => {
    temp = await openTempDatabase();
    db = temp.db;
    const account = await insertAccount(db, { name: 'Acme' });
    ids.ann = await insertContact(db, account, { name: 'Ann' });
    ids.bob = await insertContact(db, account, { name: 'Bob' });
    ids.cat = await insertContact(db, account, { name: 'Cat' });
    await askFor(db, ids.ann, SINCE);
    await askFor(db, ids.ann, '2026-11-01T00:00:00.000Z', { status: 'cancelled' });
    await askFor(db, ids.bob, '2026-09-30T23:59:59.999Z', { status: 'expired' });
    await askFor(db, ids.bob, '2026-11-02T00:00:00.000Z');
  });

  afterEach(async () => {
    await temp.close();
  });

  it('counts each contact’s asks since a moment, that moment included; a contact never asked is missing', async () => {
    const counts = await store.countAsksSince(db, [ids.ann, ids.bob, ids.cat, ids.ann], SINCE);
    expect(counts).toEqual(
      new Map([
        [ids.ann, 2],
        [ids.bob, 1],
      ]),
    );
    expect(await store.countAsksSince(db, [], SINCE)).toEqual(new Map());
  });

  it('counts the requests of each status asked about', async () => {
    await insertRequest(db, { status: 'submitted' });
    const counts = await store.countByStatus(db, ['submitted', 'awaiting_owner', 'agreed']);
    expect(counts).toEqual(
      new Map([
        ['submitted', 1],
        ['awaiting_owner', 2],
      ]),
    );
  });

  it('gets requests by id, leaving out ids of no request', async () => {
    const id = await insertRequest(db, { prospect: 'Globex' });
    const found = await store.getMany(db, [id, 999_999, id]);
    expect([...found.keys()]).toEqual([id]);
    expect(found.get(id)).toEqual(await store.get(db, id));
  });

  it('reads the agreed requests not followed up whose follow-up day has begun by the date given', async () => {
    const agreed = async (neededBy: string, followupOn: string | null, sent = false) => {
      const id = await insertRequest(db, { status: 'agreed', neededBy });
      await db('reference_requests')
        .where({ id })
        .update({ followup_on: followupOn, followup_sent_at: sent ? SINCE : null });
      return id;
    };
    const past = await agreed('2026-11-30', null);
    const chosenToday = await agreed('2026-11-20', '2026-12-03');
    await agreed('2026-12-03', null); // its follow-up is the day after
    await agreed('2026-11-20', '2026-12-04'); // the rep chose a later day
    await agreed('2026-11-20', null, true); // already asked
    await insertRequest(db, { status: 'awaiting_owner', neededBy: '2026-11-20' });

    const pending = await store.followupsPending(db, '2026-12-03');
    expect(pending.map((r) => r.id).sort((a, b) => a - b)).toEqual([past, chosenToday]);
  });
});
