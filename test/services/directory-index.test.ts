import { subDays } from 'date-fns';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DIRECTORY_COLUMNS } from '../../src/domain/directory-entry.ts';
import { DEFAULT_RULES, type ProgramRules } from '../../src/domain/program-rules.ts';
import { activityBit, activityMask } from '../../src/domain/vocabulary.ts';
import { DirectoryImport } from '../../src/services/directory-import.ts';
import { DirectoryIndex } from '../../src/services/directory-index.ts';
import type { Db } from '../../src/store/database.ts';
import { DirectorySnapshotStore } from '../../src/store/directory-snapshot-store.ts';
import { RevisionStore, stampRevision } from '../../src/store/revision-store.ts';
import { askFor, editDirectoryRow, insertAccount, insertContact } from '../store/directory-rows.ts';
import { openTempDatabase, type TempDatabase } from '../store/temp-database.ts';
import { onPostgres } from '../support/test-database.ts';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const EDITED_AT = '2026-11-22T11:00:00.000Z';
const daysAgo = (days: number, from = NOW) => subDays(from, days).toISOString();
const RULES: ProgramRules = { ...DEFAULT_RULES, maxAsksPerAccount: 5 };
const NOBODY = new Set<number>();

describe('DirectoryIndex', () => {
  let temp: TempDatabase;
  let db: Db;
  let now: Date;
  const revisions = new RevisionStore();
  const ids = { acme: 0, globex: 0, jane: 0, raj: 0, kim: 0, pat: 0, old: 0 };

  beforeEach(async () => {
    temp = await openTempDatabase();
    db = temp.db;
    now = NOW;
    ids.acme = await insertAccount(db, {
      name: 'Acme Health',
      industry: 'Healthcare',
      region: 'EMEA',
      companySize: '1000-4999',
      products: ['Analytics', 'Billing'],
      ownerId: 'U0OWNER01',
    });
    ids.globex = await insertAccount(db, { name: 'Globex', industry: 'Manufacturing', ownerId: 'U0OWNER02' });
    ids.jane = await insertContact(db, ids.acme, {
      name: 'Jane Doe',
      title: 'CFO',
      seniority: 'c_level',
      customerSince: '2021-03-01',
      activities: ['reference_call', 'case_study'],
    });
    ids.raj = await insertContact(db, ids.acme, {
      name: 'Raj Patel',
      seniority: 'director',
      activities: ['reference_call', 'quote'],
    });
    ids.kim = await insertContact(db, ids.globex, { name: 'Kim Lee', activities: ['quote'] });
    ids.pat = await insertContact(db, ids.globex, {
      name: 'Pat Quiet',
      status: 'paused',
      pausedUntil: '2026-12-01',
      pauseReason: 'Audit',
    });
    ids.old = await insertContact(db, ids.globex, { name: 'Old Timer', status: 'retired' });
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await temp.close();
  });

  function makeIndex(rules = RULES) {
    const snapshots = new DirectorySnapshotStore();
    return { index: new DirectoryIndex(db, snapshots, revisions, rules, () => now), snapshots };
  }

  /** Spies on every read of the snapshot store, to see what a refresh really queries. */
  function spyReads(snapshots: DirectorySnapshotStore) {
    return {
      contactPage: vi.spyOn(snapshots, 'contactPage'),
      changedContacts: vi.spyOn(snapshots, 'changedContacts'),
      asks: vi.spyOn(snapshots, 'asks'),
      openAsks: vi.spyOn(snapshots, 'openAsks'),
      ratings: vi.spyOn(snapshots, 'ratings'),
    };
  }
  const callCounts = (spies: ReturnType<typeof spyReads>) =>
    Object.fromEntries(Object.entries(spies).map(([name, spy]) => [name, spy.mock.calls.length]));

  const editContact = (id: number, patch: Record<string, unknown>) =>
    editDirectoryRow(db, 'contacts', id, { ...patch, updated_at: EDITED_AT });

  it('loads the whole directory on first use, each contact with its account’s facts', async () => {
    const { index } = makeIndex();
    expect(index.size).toBe(0);
    await index.refresh();
    expect(index.size).toBe(5);
    expect(index.get(ids.jane)).toEqual({
      id: ids.jane,
      name: 'Jane Doe',
      title: 'CFO',
      accountId: ids.acme,
      accountName: 'Acme Health',
      industry: 'Healthcare',
      region: 'EMEA',
      companySize: '1000-4999',
      products: expect.arrayContaining(['Analytics', 'Billing']),
      seniority: 'c_level',
      customerSince: '2021-03-01',
      activities: expect.arrayContaining(['reference_call', 'case_study']),
      activityMask: activityMask(['reference_call', 'case_study']),
      status: 'active',
      pausedUntil: null,
      pauseReason: null,
      ownerId: 'U0OWNER01',
      search: 'jane doe acme health',
    });
    expect(index.get(ids.pat)).toMatchObject({
      status: 'paused',
      pausedUntil: '2026-12-01',
      pauseReason: 'Audit',
    });
    expect(index.get(ids.kim)).toMatchObject({
      products: [],
      region: null,
      activityMask: activityBit('quote'),
    });
    expect(index.get(999)).toBeUndefined();
  });

  it('lists the contacts who agreed to an activity, leaving out retired ones', async () => {
    const { index } = makeIndex();
    await index.refresh();
    expect(index.withActivity('reference_call').map((c) => c.id)).toEqual([ids.jane, ids.raj, ids.pat]);
    expect(index.withActivity('quote').map((c) => c.id)).toEqual([ids.raj, ids.kim]);
    expect(index.withActivity('site_visit')).toEqual([]);
    expect(index.candidates().map((c) => c.id)).toEqual([ids.jane, ids.raj, ids.kim, ids.pat, ids.old]);
  });

  it('knows each contact’s usage: asks in the window, the last one, open asks and the account’s asks', async () => {
    await askFor(db, ids.jane, daysAgo(100), { status: 'cancelled' });
    await askFor(db, ids.jane, daysAgo(40), { status: 'cancelled' });
    await askFor(db, ids.jane, daysAgo(20), { status: 'awaiting_owner' });
    await askFor(db, ids.raj, daysAgo(10), { status: 'agreed', answer: 'agreed', neededBy: '2026-11-22' });
    await askFor(db, ids.kim, daysAgo(5), { status: 'agreed', answer: 'agreed', neededBy: '2026-11-21' });
    const { index } = makeIndex();
    await index.refresh();
    const ctx = index.context(NOW, NOBODY);
    expect(ctx.usage(index.get(ids.jane)!)).toEqual({
      asksInWindow: 2,
      lastAskedAt: daysAgo(20),
      openAsks: 1,
      accountAsksInWindow: 3,
    });
    expect(ctx.usage(index.get(ids.raj)!)).toEqual({
      asksInWindow: 1,
      lastAskedAt: daysAgo(10),
      openAsks: 1,
      accountAsksInWindow: 3,
    });
    // Agreed, but needed by yesterday: no longer open.
    expect(ctx.usage(index.get(ids.kim)!)).toMatchObject({
      asksInWindow: 1,
      openAsks: 0,
      accountAsksInWindow: 1,
    });
    expect(ctx.usage(index.get(ids.pat)!)).toEqual({
      asksInWindow: 0,
      lastAskedAt: null,
      openAsks: 0,
      accountAsksInWindow: 1,
    });
    expect(ctx.rules).toEqual(RULES);
    expect(ctx.now).toBe(NOW);
  });

  it('lets asks leave the window as time passes, without a reload', async () => {
    await askFor(db, ids.jane, daysAgo(85), { status: 'cancelled' });
    const { index } = makeIndex();
    await index.refresh();
    expect(index.context(NOW, NOBODY).usage(index.get(ids.jane)!).asksInWindow).toBe(1);
    const later = new Date(NOW.getTime() + 10 * 86_400_000);
    expect(index.context(later, NOBODY).usage(index.get(ids.jane)!)).toMatchObject({
      asksInWindow: 0,
      lastAskedAt: daysAgo(85),
    });
  });

  it('knows the average rating reps gave each contact', async () => {
    await askFor(db, ids.jane, daysAgo(200), { status: 'cancelled', rating: 5 });
    await askFor(db, ids.jane, daysAgo(100), { status: 'cancelled', rating: 4 });
    await askFor(db, ids.raj, daysAgo(50), { status: 'cancelled' });
    const { index } = makeIndex();
    await index.refresh();
    const ctx = index.context(NOW, NOBODY);
    expect(ctx.rating(ids.jane)).toEqual({ average: 4.5, count: 2 });
    expect(ctx.rating(ids.raj)).toBeNull();
  });

  it('keeps serving its snapshot without a bump, and reads nothing but the revisions', async () => {
    const { index, snapshots } = makeIndex();
    await index.refresh();
    const before = index.get(ids.jane);
    await editContact(ids.jane, { name: 'Jane Renamed' });
    await askFor(db, ids.jane, daysAgo(1));
    await db('reference_asks').update({ rating: 1 });
    const spies = spyReads(snapshots);
    const read = vi.spyOn(revisions, 'read');
    await index.refresh();
    await index.refresh();
    expect(read).toHaveBeenCalledTimes(2);
    expect(callCounts(spies)).toEqual({
      contactPage: 0,
      changedContacts: 0,
      asks: 0,
      openAsks: 0,
      ratings: 0,
    });
    expect(index.get(ids.jane)).toBe(before);
    expect(index.get(ids.jane)!.name).toBe('Jane Doe');
    const ctx = index.context(NOW, NOBODY);
    expect(ctx.usage(index.get(ids.jane)!).asksInWindow).toBe(0);
    expect(ctx.rating(ids.jane)).toBeNull();
  });

  it('after a directory bump, re-reads only the contacts that changed', async () => {
    const { index, snapshots } = makeIndex();
    await index.refresh();
    await editContact(ids.jane, {
      name: 'Jane Renamed',
      title: 'CEO',
      status: 'paused',
      paused_until: '2026-12-24',
    });
    await revisions.bump(db, 'directory');
    const spies = spyReads(snapshots);
    await index.refresh();
    expect(callCounts(spies)).toEqual({
      contactPage: 0,
      changedContacts: 1,
      asks: 0,
      openAsks: 0,
      ratings: 0,
    });
    expect(index.get(ids.jane)).toMatchObject({
      name: 'Jane Renamed',
      title: 'CEO',
      status: 'paused',
      pausedUntil: '2026-12-24',
      search: 'jane renamed acme health',
    });
    expect(index.size).toBe(5);
    expect(index.candidates().find((c) => c.id === ids.jane)!.name).toBe('Jane Renamed');

    // The next change reads only what was written after the revision seen, whatever its clock said.
    const raj = index.get(ids.raj);
    await editContact(ids.jane, { name: 'Jane Again', updated_at: '2020-01-01T00:00:00.000Z' });
    await revisions.bump(db, 'directory');
    await index.refresh();
    const reread = (await spies.changedContacts.mock.results[1]!.value) as { id: number }[];
    expect(reread.map((r) => r.id)).toEqual([ids.jane]);
    expect(index.get(ids.jane)!.name).toBe('Jane Again');
    expect(index.get(ids.raj)).toBe(raj);
  });

  it('after a directory bump, sees an account’s new facts and products on all its contacts', async () => {
    const { index } = makeIndex();
    await index.refresh();
    await editDirectoryRow(db, 'accounts', ids.acme, {
      industry: 'Pharma',
      name: 'Acme Pharma',
      updated_at: EDITED_AT,
    });
    await db('account_products').where({ account_id: ids.acme }).delete();
    await db('account_products').insert({ account_id: ids.acme, product: 'Payroll' });
    await revisions.bump(db, 'directory');
    await index.refresh();
    for (const id of [ids.jane, ids.raj]) {
      expect(index.get(id)).toMatchObject({
        industry: 'Pharma',
        accountName: 'Acme Pharma',
        products: ['Payroll'],
      });
    }
    expect(index.get(ids.kim)!.industry).toBe('Manufacturing');
  });

  it('after a directory bump, sees changed activities in the per-activity lists', async () => {
    const { index } = makeIndex();
    await index.refresh();
    expect(index.withActivity('site_visit')).toEqual([]);
    await db('contact_activities').insert({ contact_id: ids.kim, activity: 'site_visit' });
    await db('contact_activities').where({ contact_id: ids.raj, activity: 'reference_call' }).delete();
    await editContact(ids.kim, {});
    await editContact(ids.raj, {});
    await revisions.bump(db, 'directory');
    await index.refresh();
    expect(index.withActivity('site_visit').map((c) => c.id)).toEqual([ids.kim]);
    expect(index.withActivity('reference_call').map((c) => c.id)).toEqual([ids.jane, ids.pat]);
    expect(index.get(ids.raj)!.activityMask).toBe(activityBit('quote'));
  });

  /** A transaction left open until `commit()`: a second connection's write in flight. */
  function openTransaction() {
    let commit: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let ready: (trx: Db) => void = () => undefined;
    const started = new Promise<Db>((resolve) => {
      ready = resolve;
    });
    const done = db.transaction(async (trx) => {
      ready(trx);
      await released;
    });
    return {
      started,
      commit: () => {
        commit();
        return done;
      },
    };
  }

  it.runIf(onPostgres)('sees asks committed out of id order on two connections', async () => {
    const { index } = makeIndex();
    await index.refresh();
    const usage = () => index.context(NOW, NOBODY).usage(index.get(ids.jane)!).asksInWindow;
    // The first transaction takes the lower ask id but commits last.
    const slow = openTransaction();
    const slowTrx = await slow.started;
    await askFor(slowTrx, ids.jane, daysAgo(2));
    await db.transaction(async (trx) => {
      await askFor(trx, ids.jane, daysAgo(1));
      await revisions.bump(trx, 'usage');
    });
    await index.refresh();
    expect(usage()).toBe(1);
    await revisions.bump(slowTrx, 'usage');
    await slow.commit();
    await index.refresh();
    expect(usage()).toBe(2);
  });

  it.runIf(onPostgres)(
    'sees directory changes of transactions that overlapped, in whatever order',
    async () => {
      const { index } = makeIndex();
      await index.refresh();
      const slow = openTransaction();
      const slowTrx = await slow.started;
      const revision = await stampRevision(slowTrx, 'directory');
      await slowTrx('contacts').where({ id: ids.jane }).update({ name: 'Jane Slow', revision });
      // A second writer waits for the first's counter: writers of the directory commit in counter order.
      const fast = db.transaction(async (trx) => {
        const r = await stampRevision(trx, 'directory');
        await trx('contacts').where({ id: ids.kim }).update({ name: 'Kim Fast', revision: r });
      });
      await index.refresh();
      expect([index.get(ids.jane)!.name, index.get(ids.kim)!.name]).toEqual(['Jane Doe', 'Kim Lee']);
      await slow.commit();
      await fast;
      await index.refresh();
      expect([index.get(ids.jane)!.name, index.get(ids.kim)!.name]).toEqual(['Jane Slow', 'Kim Fast']);
    },
  );

  it('sees a contact imported from CSV', async () => {
    const { index } = makeIndex();
    await index.refresh();
    const csv = [
      DIRECTORY_COLUMNS.join(','),
      'Initech,,Healthcare,EMEA,1000-4999,Analytics,U0OWNER3,Nia New,nia@initech.example,COO,c_level,reference_call;quote,2020-05-01,active,,,',
    ].join('\n');
    const result = await new DirectoryImport(db).importCsv(csv, NOW);
    expect(result.ok).toBe(true);
    await index.refresh();
    expect(index.size).toBe(6);
    const nia = index.candidates().find((c) => c.name === 'Nia New');
    expect(nia).toMatchObject({
      accountName: 'Initech',
      title: 'COO',
      products: ['Analytics'],
      activityMask: activityMask(['reference_call', 'quote']),
      ownerId: 'U0OWNER3',
    });
    expect(index.withActivity('reference_call').map((c) => c.name)).toContain('Nia New');
  });

  it('after a usage bump, reads the asks of the window and the open ones again', async () => {
    await askFor(db, ids.jane, daysAgo(40), { status: 'cancelled' });
    const { index, snapshots } = makeIndex();
    await index.refresh();
    await askFor(db, ids.jane, daysAgo(0), { status: 'awaiting_owner' });
    await revisions.bump(db, 'usage');
    const spies = spyReads(snapshots);
    await index.refresh();
    expect(callCounts(spies)).toEqual({
      contactPage: 0,
      changedContacts: 0,
      asks: 1,
      openAsks: 1,
      ratings: 0,
    });
    expect(index.context(NOW, NOBODY).usage(index.get(ids.jane)!)).toEqual({
      asksInWindow: 2,
      lastAskedAt: NOW.toISOString(),
      openAsks: 1,
      accountAsksInWindow: 2,
    });
  });

  it('recomputes open asks for the current date on a usage bump', async () => {
    await askFor(db, ids.jane, daysAgo(10), { status: 'agreed', answer: 'agreed', neededBy: '2026-11-22' });
    const { index } = makeIndex();
    await index.refresh();
    expect(index.context(NOW, NOBODY).usage(index.get(ids.jane)!).openAsks).toBe(1);
    now = new Date('2026-11-23T09:00:00.000Z');
    await revisions.bump(db, 'usage');
    await index.refresh();
    expect(index.context(now, NOBODY).usage(index.get(ids.jane)!).openAsks).toBe(0);
  });

  it('after a ratings bump, reads the ratings again', async () => {
    const { askId } = await askFor(db, ids.jane, daysAgo(40), { status: 'cancelled' });
    const { index, snapshots } = makeIndex();
    await index.refresh();
    await db('reference_asks').where({ id: askId }).update({ rating: 2 });
    await revisions.bump(db, 'ratings');
    const spies = spyReads(snapshots);
    await index.refresh();
    expect(callCounts(spies)).toEqual({
      contactPage: 0,
      changedContacts: 0,
      asks: 0,
      openAsks: 0,
      ratings: 1,
    });
    expect(index.context(NOW, NOBODY).rating(ids.jane)).toEqual({ average: 2, count: 1 });
  });

  it('shares one reload between concurrent callers', async () => {
    const { index, snapshots } = makeIndex();
    const read = vi.spyOn(revisions, 'read');
    const pages = vi.spyOn(snapshots, 'contactPage');
    await Promise.all([index.refresh(), index.refresh(), index.refresh()]);
    expect(read).toHaveBeenCalledTimes(1);
    // One page of contacts, then the empty page that ends the load.
    expect(pages).toHaveBeenCalledTimes(2);
    await index.refresh();
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('counts account asks only when the rules cap them', async () => {
    await askFor(db, ids.raj, daysAgo(3), { status: 'cancelled' });
    const { index } = makeIndex({ ...RULES, maxAsksPerAccount: null });
    await index.refresh();
    const ctx = index.context(NOW, NOBODY);
    expect(ctx.usage(index.get(ids.jane)!)).toEqual({
      asksInWindow: 0,
      lastAskedAt: null,
      openAsks: 0,
      accountAsksInWindow: 0,
    });
    expect(ctx.usage(index.get(ids.raj)!).asksInWindow).toBe(1);
  });

  it('loads a directory larger than one page, with every contact’s activities', async () => {
    const total = 10_050;
    const rows = Array.from({ length: total - 5 }, (_, i) => ({
      account_id: ids.globex,
      email: `bulk${i}@example.com`,
      name: `Bulk ${i}`,
      status: 'active',
      created_at: EDITED_AT,
      updated_at: EDITED_AT,
    }));
    await db.batchInsert('contacts', rows, 500);
    const maxId = ((await db('contacts').max({ id: 'id' }).first()) as { id: number }).id;
    await db.batchInsert(
      'contact_activities',
      Array.from({ length: maxId - ids.old }, (_, i) => ({
        contact_id: ids.old + 1 + i,
        activity: i % 2 === 0 ? 'quote' : 'site_visit',
      })),
      500,
    );
    const { index, snapshots } = makeIndex();
    const pages = vi.spyOn(snapshots, 'contactPage');
    await index.refresh();
    expect(pages).toHaveBeenCalledTimes(3);
    expect(index.size).toBe(total);
    // The last contact of the first page and the first of the second keep their activities.
    for (const id of [10_000, 10_001, maxId]) {
      expect(index.get(id)!.activities).toEqual([(id - ids.old - 1) % 2 === 0 ? 'quote' : 'site_visit']);
    }
    expect(index.withActivity('quote')).toHaveLength(Math.ceil((maxId - ids.old) / 2) + 2);
  });
});
