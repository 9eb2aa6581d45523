import { subDays } from 'date-fns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirectoryEntry } from '../../src/domain/directory-entry.ts';
import { DEFAULT_RULES } from '../../src/domain/program-rules.ts';
import { InputError, NotAllowedError } from '../../src/errors.ts';
import { DirectoryImport } from '../../src/services/directory-import.ts';
import { DirectoryIndex } from '../../src/services/directory-index.ts';
import { DirectoryService } from '../../src/services/directory-service.ts';
import { ErasureService, subjectHash } from '../../src/services/erasure.ts';
import { MatchService } from '../../src/services/match-service.ts';
import { UnitOfWork } from '../../src/services/unit-of-work.ts';
import type { Db } from '../../src/store/database.ts';
import { DirectorySnapshotStore } from '../../src/store/directory-snapshot-store.ts';
import { DirectoryStore } from '../../src/store/directory-store.ts';
import { ERASED_NAME, ERASED_TEXT, ErasureStore } from '../../src/store/erasure-store.ts';
import { HomeViewStore } from '../../src/store/event-store.ts';
import { FormStore } from '../../src/store/form-store.ts';
import { NominationStore } from '../../src/store/nomination-store.ts';
import { OutboxStore } from '../../src/store/outbox-store.ts';
import { RecruitingStore } from '../../src/store/recruiting-store.ts';
import { RequestStore } from '../../src/store/request-store.ts';
import { RevisionStore } from '../../src/store/revision-store.ts';
import { UsageStore } from '../../src/store/usage-store.ts';
import { appTables } from '../support/test-database.ts';
import { JOURNEYS, NOW, openRequestWorld } from './request-world.ts';

type World = Awaited<ReturnType<typeof openRequestWorld>>;

/** The contact to erase: Ann of the request world, given details that occur nowhere else. */
const ZELDA = {
  name: 'Zelda Quartermaine',
  email: 'zelda.quartermaine@acme.example',
  title: 'Chief Zebra Officer',
  notes: 'Prefers calls on Xylophone Thursdays',
};
const PERSONAL = [ZELDA.name, ZELDA.email, ZELDA.title, ZELDA.notes];

function erasureService(db: Db, retentionDays: number | null = null, retentionBatch?: number) {
  const revisions = new RevisionStore();
  const now = () => NOW;
  return new ErasureService({
    db,
    work: new UnitOfWork(db, new OutboxStore(), revisions, new HomeViewStore(), now),
    erasures: new ErasureStore(),
    directory: new DirectoryStore(),
    requests: new RequestStore(),
    retentionDays,
    retentionBatch,
    now,
  });
}

/** A nomination's entry: someone at Acme unless `patch` says otherwise. */
const nominationEntry = (patch: Partial<DirectoryEntry>): DirectoryEntry => ({
  account: 'Acme',
  accountId: null,
  industry: null,
  region: null,
  companySize: '1000-4999',
  products: ['Analytics'],
  owner: 'U0OWNER01',
  contactName: null,
  contactEmail: 'someone@acme.example',
  title: null,
  seniority: null,
  activities: ['reference_call'],
  customerSince: null,
  status: 'active',
  pausedUntil: null,
  pauseReason: null,
  notes: null,
  ...patch,
});

/** Every table's rows, for "nothing was written" and for the scan. */
async function everything(db: Db): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of (await appTables(db)).sort()) out[table] = await db(table).select();
  return out;
}

/** Where (table.column) any of `needles` occurs in any text of the database, case-insensitively. */
async function occurrences(db: Db, needles: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const [table, rows] of Object.entries(await everything(db))) {
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value !== 'string') continue;
        for (const needle of needles) {
          if (value.toLowerCase().includes(needle.toLowerCase())) found.add(`${table}.${column}: ${needle}`);
        }
      }
    }
  }
  return [...found].sort();
}

/** What the reports count: asks, their answers and ratings, statuses, outcomes and deals. */
async function figures(db: Db) {
  const rows = async (table: string, columns: string[], order: string) =>
    (await db(table).select(columns).orderBy(order)).map((r: Record<string, unknown>) =>
      columns.map((c) => (typeof r[c] === 'boolean' ? Number(r[c]) : r[c])),
    );
  return {
    requests: await rows('reference_requests', ['id', 'status', 'requester_id', 'current_ask_id'], 'id'),
    asks: await rows(
      'reference_asks',
      ['id', 'request_id', 'contact_id', 'owner_id', 'answer', 'rating', 'approved_at'],
      'id',
    ),
    history: await rows('request_history', ['id', 'request_id', 'action', 'from_status', 'to_status'], 'id'),
    outcomes: await rows(
      'reference_outcomes',
      ['request_id', 'contact_id', 'happened', 'rating', 'moved_deal', 'deal_result', 'deal_amount'],
      'request_id',
    ),
    contacts: await rows('contacts', ['id', 'account_id', 'seniority', 'customer_since'], 'id'),
  };
}

describe('ErasureService', () => {
  let world: World;
  let zelda: number;
  beforeEach(async () => {
    world = await openRequestWorld();
    const { db } = world;
    zelda = ((await db('contacts').where({ name: 'Ann' }).first()) as { id: number }).id;
    await db('contacts')
      .where({ id: zelda })
      .update({ name: ZELDA.name, email: ZELDA.email, title: ZELDA.title, notes: ZELDA.notes });
  });
  afterEach(async () => {
    await world.close();
  });

  /** Requests in every state; Zelda is asked in some, and named in text typed about others. */
  async function history(): Promise<void> {
    const { db } = world;
    for (const journey of JOURNEYS) await world.request(journey);
    const asks = (await db('reference_asks').where({ contact_id: zelda }).select('id', 'request_id')) as {
      id: number;
      request_id: number;
    }[];
    expect(asks.length).toBeGreaterThan(1);
    await db('reference_asks')
      .where({ id: asks[0]!.id })
      .update({ note: `${ZELDA.name} is back from leave`, override_reason: 'She asked for it' });
    await db('reference_outcomes')
      .where({ contact_id: zelda })
      .update({ helped: `${ZELDA.name} walked them through it` });
    const other = (await db('reference_requests')
      .whereNotIn(
        'id',
        asks.map((a) => a.request_id),
      )
      .first()) as {
      id: number;
    };
    await db('reference_requests')
      .where({ id: other.id })
      .update({ context: `They met zelda quartermaine at a fair; mail ${ZELDA.email.toUpperCase()}` });
    await db('request_history')
      .where({ id: 1 })
      .update({ reason: `Asked ${ZELDA.email} directly` });
    await db('contacts')
      .whereNot({ id: zelda })
      .update({ notes: `Knows ${ZELDA.name} well; not to be confused with Zeldarian Ltd` });
    const nominations = new NominationStore();
    const entry = (email: string) =>
      nominationEntry({
        contactName: ZELDA.name,
        contactEmail: email,
        title: ZELDA.title,
        notes: ZELDA.notes,
      });
    const accepted = await nominations.insert(
      db,
      'U0REP0001',
      entry(ZELDA.email),
      'Great advocate',
      NOW.toISOString(),
    );
    await nominations.decide(
      db,
      accepted.id,
      { status: 'accepted', by: 'U0MGR0001', reason: null, contactId: zelda },
      NOW.toISOString(),
    );
    const declined = await nominations.insert(
      db,
      'U0REP0002',
      entry(ZELDA.email),
      'Try her',
      NOW.toISOString(),
    );
    await nominations.decide(
      db,
      declined.id,
      { status: 'declined', by: 'U0MGR0001', reason: `${ZELDA.name} is already in`, contactId: null },
      NOW.toISOString(),
    );
    // A message that failed once with the address in its error, and one sent long ago.
    const failing = {
      conversation: 'managers',
      notification: JSON.stringify({
        type: 'delivery_failed',
        deliveryId: 1,
        failedType: 'owner_nudge',
        requestId: null,
        error: `no such user ${ZELDA.email}`,
      }),
      kind: 'delivery_failed',
      next_attempt_at: NOW.toISOString(),
      created_at: NOW.toISOString(),
    };
    await db('outbox').insert([
      { ...failing, status: 'pending' },
      { ...failing, status: 'sent', sent_at: NOW.toISOString(), last_error: `timeout for ${ZELDA.name}` },
    ]);
  }

  it('erases a contact’s name, email, title and notes from every table, keeping every figure', async () => {
    const { db } = world;
    await history();
    expect(await occurrences(db, PERSONAL)).not.toEqual([]);
    const before = await figures(db);

    const result = await erasureService(db).eraseContact({
      email: ` ${ZELDA.email.toUpperCase()} `,
      by: 'dpo',
    });

    expect(result.outcome).toBe('erased');
    expect(await occurrences(db, PERSONAL)).toEqual([]);
    expect(await figures(db)).toEqual(before);
    const contact = await db('contacts').where({ id: zelda }).first();
    expect(contact).toMatchObject({
      name: ERASED_NAME,
      email: `erased-${zelda}@erased.invalid`,
      title: null,
      notes: null,
      status: 'retired',
      updated_at: NOW.toISOString(),
    });
    // Text about somebody else keeps its words; only the mention goes.
    const other = (await db('contacts').whereNot({ id: zelda }).first()) as { notes: string };
    expect(other.notes).toBe(`Knows ${ERASED_NAME} well; not to be confused with Zeldarian Ltd`);
    // The pending message naming her is dropped; the open request's card is re-rendered without her.
    expect(await db('outbox').where({ status: 'pending', kind: 'delivery_failed' })).toEqual([]);
    const pendingAfter = (await db('outbox').where({ status: 'pending' }).select('notification')) as {
      notification: string;
    }[];
    expect(pendingAfter.map((r) => JSON.parse(r.notification).type)).toContain('request_card');

    if (result.outcome !== 'erased') throw new Error('not erased');
    expect(result.counts).toMatchObject({ contact: 1, nominations: 2, droppedMessages: 1 });
    expect(result.counts.asks).toBeGreaterThan(0);
    expect(result.counts.mentions).toBeGreaterThanOrEqual(4);
    const [logged] = await db('erasures').select();
    expect(logged).toMatchObject({
      kind: 'contact',
      subject_hash: subjectHash(ZELDA.email),
      erased_by: 'dpo',
      erased_at: NOW.toISOString(),
    });
    expect(Number(logged.rows_changed)).toBe(Object.values(result.counts).reduce((a, b) => a + b, 0));
  });

  it('erases the name a rep nominated the contact by too, where it differs from the directory’s', async () => {
    const { db } = world;
    await history();
    const nickname = 'Zee Quartermaine-Smythe';
    await new NominationStore().insert(
      db,
      'U0REP0001',
      nominationEntry({ contactName: nickname, contactEmail: ZELDA.email }),
      'Great advocate',
      NOW.toISOString(),
    );
    const request = (await db('reference_requests').first()) as { id: number };
    await db('reference_requests')
      .where({ id: request.id })
      .update({ context: `Ask ${nickname} first` });

    await erasureService(db).eraseContact({ email: ZELDA.email, by: 'dpo' });

    expect(await occurrences(db, [nickname])).toEqual([]);
    expect(await db('reference_requests').where({ id: request.id }).first()).toMatchObject({
      context: `Ask ${ERASED_NAME} first`,
    });
  });

  it('takes the contact out of matching and search, in the same transaction as the directory revision', async () => {
    const { db } = world;
    const snapshots = new DirectorySnapshotStore();
    const revisions = new RevisionStore();
    const index = new DirectoryIndex(db, snapshots, revisions, DEFAULT_RULES, () => NOW);
    const matches = new MatchService(db, index, snapshots, () => NOW);
    const criteria = {
      activity: 'reference_call' as const,
      industry: null,
      products: ['Analytics'],
      region: null,
      companySize: null,
      seniority: null,
      prospect: null,
    };
    const suggested = async () => (await matches.suggest(criteria, 10)).suggestions.map((s) => s.contact.id);
    expect(await suggested()).toContain(zelda);
    expect((await matches.search('zelda', 10, { activeOnly: false })).map((c) => c.id)).toEqual([zelda]);
    const revision = (await revisions.read(db)).directory;

    await erasureService(db).eraseContact({ email: ZELDA.email, by: 'dpo' });

    expect((await revisions.read(db)).directory).toBeGreaterThan(revision);
    expect(await suggested()).not.toContain(zelda);
    expect(await matches.search('zelda', 10, { activeOnly: false })).toEqual([]);
    expect(await matches.search(ZELDA.email, 10, { activeOnly: false })).toEqual([]);
  });

  it('refuses to resume, pause or edit an erased contact, which would make them matchable again', async () => {
    const { db } = world;
    const revisions = new RevisionStore();
    const directory = new DirectoryService({
      db,
      work: new UnitOfWork(db, new OutboxStore(), revisions, new HomeViewStore(), () => NOW),
      directory: new DirectoryStore(),
      importer: new DirectoryImport(db),
      nominations: new NominationStore(),
      recruiting: new RecruitingStore(),
      requests: new RequestStore(),
      forms: new FormStore(),
      usage: new UsageStore(),
      windowDays: DEFAULT_RULES.windowDays,
      now: () => NOW,
    });
    await erasureService(db).eraseContact({ email: ZELDA.email, by: 'dpo' });
    const manager = { id: 'U0RM1', isManager: true };
    await expect(directory.resume(manager, zelda)).rejects.toThrow(NotAllowedError);
    await expect(
      directory.pause(manager, zelda, { until: '2026-12-24', reason: 'Renewal in progress' }),
    ).rejects.toThrow(NotAllowedError);
    expect(await db('contacts').where({ id: zelda }).first()).toMatchObject({ status: 'retired' });
  });

  it('writes nothing for an unknown email, and recognises one erased before', async () => {
    const { db } = world;
    await history();
    const service = erasureService(db);
    const before = await everything(db);

    expect(await service.eraseContact({ email: 'nobody@acme.example', by: 'dpo' })).toEqual({
      outcome: 'unknown',
    });
    expect(await everything(db)).toEqual(before);

    await service.eraseContact({ email: ZELDA.email, by: 'dpo' });
    const after = await everything(db);
    const again = await service.eraseContact({ email: ZELDA.email, by: 'someone else' });
    expect(again).toMatchObject({ outcome: 'already_erased', previous: { erasedBy: 'dpo' } });
    expect(await everything(db)).toEqual(after);
  });

  it('erases someone only ever nominated, closing the nomination, and writes nothing the second time', async () => {
    const { db } = world;
    const nina = { name: 'Ninetta Vorstadt', email: 'ninetta.vorstadt@globex.example' };
    const nominations = new NominationStore();
    const pending = await nominations.insert(
      db,
      'U0REP0003',
      nominationEntry({
        account: 'Globex',
        contactName: nina.name,
        contactEmail: nina.email,
        title: 'Head of Payroll',
      }),
      `${nina.name} loves us`,
      NOW.toISOString(),
    );
    await db('reference_requests')
      .where({ id: 1 })
      .update({ context: `Maybe ${nina.name} could help` });
    const service = erasureService(db);

    const result = await service.eraseContact({ email: nina.email, by: 'dpo' });

    expect(result).toMatchObject({
      outcome: 'erased',
      contactId: null,
      counts: { contact: 0, nominations: 1 },
    });
    expect(await occurrences(db, [nina.name, nina.email, 'Head of Payroll'])).toEqual([]);
    // Nobody can accept her any more; the card in the channel is re-rendered to say so.
    expect(await db('nominations').where({ id: pending.id }).first()).toMatchObject({
      status: 'declined',
      decided_by: 'refdesk',
      why: ERASED_TEXT,
    });
    const queued = (await db('outbox').where({ status: 'pending' }).select('notification')) as {
      notification: string;
    }[];
    expect(queued.map((r) => JSON.parse(r.notification))).toContainEqual({
      type: 'nomination_card',
      nominationId: pending.id,
    });
    const after = await everything(db);
    expect(await service.eraseContact({ email: nina.email, by: 'someone else' })).toMatchObject({
      outcome: 'already_erased',
      previous: { erasedBy: 'dpo' },
    });
    expect(await everything(db)).toEqual(after);
  });

  it('refuses what is not an email address', async () => {
    await expect(erasureService(world.db).eraseContact({ email: 'zelda', by: 'dpo' })).rejects.toBeInstanceOf(
      InputError,
    );
  });

  it('forgets what it keeps about a deleted Slack user, keeping their id in the history', async () => {
    const { db } = world;
    await history();
    const user = 'U0REP0001';
    await db('slack_users').insert({ id: user, tz: 'Europe/Berlin', fetched_at: NOW.toISOString() });
    await db('home_views').insert({ user_id: user, opened_at: NOW.toISOString() });
    await db('outbox').insert({
      conversation: `home:${user}`,
      notification: JSON.stringify({ type: 'home_refresh', userId: user }),
      kind: 'home_refresh',
      status: 'pending',
      next_attempt_at: NOW.toISOString(),
      created_at: NOW.toISOString(),
    });
    const before = await figures(db);

    const service = erasureService(db);
    expect(await service.forgetSlackUser(user)).toEqual({ rows: 3, ownedAccounts: 1 });

    expect(await db('slack_users').where({ id: user })).toEqual([]);
    expect(await db('home_views').where({ user_id: user })).toEqual([]);
    expect(await db('outbox').where({ conversation: `home:${user}`, status: 'pending' })).toEqual([]);
    expect(await figures(db)).toEqual(before);
    expect(await db('erasures').select('kind', 'subject_hash', 'erased_by')).toEqual([
      { kind: 'slack_user', subject_hash: subjectHash(user), erased_by: 'slack:user_change' },
    ]);
    // Nothing left to forget: nothing written, nothing logged.
    expect(await service.forgetSlackUser(user)).toEqual({ rows: 0, ownedAccounts: 1 });
    expect(await db('erasures').count({ n: '*' }).first()).toMatchObject({ n: expect.anything() });
    expect(Number(((await db('erasures').count({ n: '*' }).first()) as { n: number }).n)).toBe(1);
  });

  describe('retention', () => {
    const longAgo = subDays(NOW, 400).toISOString();
    const recently = subDays(NOW, 10).toISOString();

    /** Every journey; then all of them but the last two "last changed" long ago. */
    async function agedHistory(): Promise<{ old: number[]; recent: number[] }> {
      const { db } = world;
      for (const journey of JOURNEYS) await world.request(journey);
      const ids = (await db('reference_requests').orderBy('id').pluck('id')) as number[];
      await db('reference_requests').update({ context: `Prospect CTO Mallory Vance worries about speed` });
      await db('request_history').whereNot({ actor_id: 'refdesk' }).update({ reason: 'Mallory asked' });
      await db('reference_outcomes').update({ helped: 'Mallory liked it', recorded_at: longAgo });
      await db('reference_outcomes').whereNotNull('deal_recorded_at').update({ deal_recorded_at: longAgo });
      const old = ids.slice(0, -2);
      await db('reference_requests').whereIn('id', old).update({ updated_at: longAgo });
      return { old, recent: ids.slice(-2) };
    }

    it('erases the free text of finished requests whose last change is older than the period, in batches', async () => {
      const { db } = world;
      const { old } = await agedHistory();
      const before = await figures(db);
      const finished = ['completed', 'not_held', 'denied', 'cancelled', 'expired'];
      const expected = (await db('reference_requests')
        .whereIn('id', old)
        .whereIn('status', finished)
        .orderBy('id')
        .pluck('id')) as number[];
      expect(expected.length).toBeGreaterThan(3);

      const erased = await erasureService(db, 365, 2).applyRetention();

      expect(erased).toBe(expected.length);
      const rows = (await db('reference_requests').orderBy('id')) as {
        id: number;
        context: string;
        personal_data_erased_at: string | null;
      }[];
      for (const r of rows) {
        if (expected.includes(r.id)) {
          expect(r).toMatchObject({ context: ERASED_TEXT, personal_data_erased_at: NOW.toISOString() });
        } else {
          expect(r).toMatchObject({
            context: expect.stringContaining('Mallory'),
            personal_data_erased_at: null,
          });
        }
      }
      const reasons = await db('request_history').whereIn('request_id', expected).whereNotNull('reason');
      expect(reasons.every((h: { actor_id: string }) => h.actor_id === 'refdesk')).toBe(true);
      expect(await db('reference_asks').whereIn('request_id', expected).whereNotNull('note')).toEqual([]);
      expect(await db('reference_outcomes').whereIn('request_id', expected).whereNotNull('helped')).toEqual(
        [],
      );
      // Open requests keep theirs, whatever their age.
      const open = await db('reference_asks').whereNotIn('request_id', expected).whereNotNull('note');
      expect(open.length).toBeGreaterThan(0);
      expect(await figures(db)).toEqual(before);
      const log = (await db('erasures').select('kind', 'erased_by')) as { kind: string }[];
      expect(log.length).toBe(Math.ceil(expected.length / 2));
      expect(log.every((e) => e.kind === 'retention')).toBe(true);

      // A second pass finds nothing more.
      expect(await erasureService(db, 365, 2).applyRetention()).toBe(0);
    });

    it('waits for a deal result recorded within the period, and does nothing without DATA_RETENTION_DAYS', async () => {
      const { db } = world;
      await agedHistory();
      const won = (await db('reference_outcomes').whereNotNull('deal_result').first()) as {
        request_id: number;
      };
      await db('reference_outcomes')
        .where({ request_id: won.request_id })
        .update({ deal_recorded_at: recently });
      const before = await everything(db);

      expect(await erasureService(db, null).applyRetention()).toBe(0);
      expect(await everything(db)).toEqual(before);

      await erasureService(db, 365).applyRetention();
      const request = await db('reference_requests').where({ id: won.request_id }).first();
      expect(request.personal_data_erased_at).toBeNull();
    });
  });
});
