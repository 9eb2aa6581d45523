import { subDays } from 'date-fns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/database.ts';
import { UsageStore } from '../../src/store/usage-store.ts';
import { askFor, insertAccount, insertAsk, insertContact, insertRequest } from './directory-rows.ts';
import { openTempDatabase, type TempDatabase } from './temp-database.ts';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const TODAY = '2026-11-22';
const WINDOW_START = subDays(NOW, 90).toISOString();
const daysAgo = (days: number) => subDays(NOW, days).toISOString();

describe('UsageStore.contactUsage', () => {
  let temp: TempDatabase;
  let db: Db;
  const usage = new UsageStore();
  const ids = { acme: 0, globex: 0, ann: 0, bob: 0, dan: 0, eve: 0, cat: 0 };

  beforeEach(async () => {
    temp = await openTempDatabase();
    db = temp.db;
    ids.acme = await insertAccount(db, { name: 'Acme' });
    ids.globex = await insertAccount(db, { name: 'Globex' });
    ids.ann = await insertContact(db, ids.acme, { name: 'Ann' });
    ids.bob = await insertContact(db, ids.acme, { name: 'Bob' });
    ids.dan = await insertContact(db, ids.acme, { name: 'Dan' });
    ids.eve = await insertContact(db, ids.acme, { name: 'Eve' });
    ids.cat = await insertContact(db, ids.globex, { name: 'Cat' });

    // Ann: one ask before the window, four within it, two of them still open.
    await askFor(db, ids.ann, daysAgo(100), { status: 'cancelled' });
    await askFor(db, ids.ann, daysAgo(60), { status: 'agreed', answer: 'agreed', neededBy: '2026-11-21' });
    await askFor(db, ids.ann, daysAgo(20), { status: 'awaiting_owner' });
    await askFor(db, ids.ann, daysAgo(10), { status: 'agreed', answer: 'agreed', neededBy: TODAY });
    await askFor(db, ids.ann, daysAgo(5), { status: 'submitted', answer: 'declined' });
    // Bob declined; the same request went on to Dan, who is its current ask.
    const handedOn = await insertRequest(db, { status: 'awaiting_owner' });
    await insertAsk(db, {
      requestId: handedOn,
      contactId: ids.bob,
      approvedAt: daysAgo(30),
      answer: 'declined',
    });
    await insertAsk(db, { requestId: handedOn, contactId: ids.dan, approvedAt: daysAgo(3) });
    // Cat, of another account: one ask right at the start of the window, one just before it.
    await askFor(db, ids.cat, WINDOW_START, { status: 'cancelled' });
    await askFor(db, ids.cat, new Date(Date.parse(WINDOW_START) - 1).toISOString(), { status: 'cancelled' });
  });

  afterEach(async () => {
    await temp.close();
  });

  const of = (id: number, accountId = ids.acme) =>
    usage.contactUsage(db, { id, accountId }, WINDOW_START, TODAY);

  it('counts the asks within the window and the last one', async () => {
    expect(await of(ids.ann)).toMatchObject({ asksInWindow: 4, lastAskedAt: daysAgo(5) });
    expect(await of(ids.bob)).toMatchObject({ asksInWindow: 1, lastAskedAt: daysAgo(30) });
  });

  it('counts an ask approved right at the start of the window, not one a moment before', async () => {
    expect(await of(ids.cat, ids.globex)).toMatchObject({ asksInWindow: 1, lastAskedAt: WINDOW_START });
  });

  it('counts as open the asks awaiting the owner, and the agreed ones not yet past their needed-by date', async () => {
    expect((await of(ids.ann)).openAsks).toBe(2);
    // The next day, the one needed today is no longer open.
    const tomorrow = await usage.contactUsage(
      db,
      { id: ids.ann, accountId: ids.acme },
      WINDOW_START,
      '2026-11-23',
    );
    expect(tomorrow.openAsks).toBe(1);
  });

  it('counts only the request’s current ask as open', async () => {
    expect((await of(ids.bob)).openAsks).toBe(0);
    expect((await of(ids.dan)).openAsks).toBe(1);
  });

  it('counts the asks of every contact of the account within the window', async () => {
    expect((await of(ids.ann)).accountAsksInWindow).toBe(6);
    expect((await of(ids.cat, ids.globex)).accountAsksInWindow).toBe(1);
  });

  it('says nothing was used for a contact never asked', async () => {
    expect(await of(ids.eve)).toEqual({
      asksInWindow: 0,
      lastAskedAt: null,
      openAsks: 0,
      accountAsksInWindow: 6,
    });
    const alone = await insertAccount(db, { name: 'Initech' });
    const newcomer = await insertContact(db, alone, { name: 'New' });
    expect(await of(newcomer, alone)).toEqual({
      asksInWindow: 0,
      lastAskedAt: null,
      openAsks: 0,
      accountAsksInWindow: 0,
    });
  });

  it('gives everything at once for a busy contact', async () => {
    expect(await of(ids.ann)).toEqual({
      asksInWindow: 4,
      lastAskedAt: daysAgo(5),
      openAsks: 2,
      accountAsksInWindow: 6,
    });
  });
});
