import type { Knex } from 'knex';
import { DEFAULT_RULES } from '../../src/domain/program-rules.ts';
import type { RequestStatus } from '../../src/domain/request-lifecycle.ts';
import { DirectoryIndex } from '../../src/services/directory-index.ts';
import { HomeService } from '../../src/services/home-service.ts';
import { MatchService } from '../../src/services/match-service.ts';
import { type Actor, requestUseCases } from '../../src/services/requests/index.ts';
import { UnitOfWork } from '../../src/services/unit-of-work.ts';
import type { Db } from '../../src/store/database.ts';
import { DirectorySnapshotStore } from '../../src/store/directory-snapshot-store.ts';
import { DirectoryStore } from '../../src/store/directory-store.ts';
import { HomeViewStore } from '../../src/store/event-store.ts';
import { FormStore } from '../../src/store/form-store.ts';
import { OutboxStore } from '../../src/store/outbox-store.ts';
import { OutcomeStore } from '../../src/store/outcome-store.ts';
import { RequestStore } from '../../src/store/request-store.ts';
import { RevisionStore } from '../../src/store/revision-store.ts';
import { UsageStore } from '../../src/store/usage-store.ts';
import { insertAccount, insertContact } from '../store/directory-rows.ts';
import { openTempDatabase } from '../store/temp-database.ts';

export const NOW = new Date('2026-11-22T12:00:00.000Z');
export const REP: Actor = { id: 'U0REP0001', isManager: false };
export const MANAGER: Actor = { id: 'U0MGR0001', isManager: true };

/** Every way a request can end up, reached through the services; `declined` is back with the managers. */
export type Journey = RequestStatus | 'reminded' | 'declined' | 'completed_won' | 'reapproved';
export const JOURNEYS: readonly Journey[] = [
  'submitted',
  'awaiting_owner',
  'reminded',
  'agreed',
  'completed',
  'completed_won',
  'not_held',
  'denied',
  'cancelled',
  'expired',
  'declined',
  'reapproved',
];

/** The request use cases over a fresh SQLite database, wired as main.ts wires them. */
export async function openRequestWorld() {
  const temp = await openTempDatabase();
  const db = temp.db;
  const now = () => NOW;
  const stores = {
    requests: new RequestStore(),
    directory: new DirectoryStore(),
    outcomes: new OutcomeStore(),
    homes: new HomeViewStore(),
    revisions: new RevisionStore(),
    snapshots: new DirectorySnapshotStore(),
  };
  const work = new UnitOfWork(db, new OutboxStore(), stores.revisions, stores.homes, now);
  const requests = requestUseCases({
    db,
    work,
    requests: stores.requests,
    directory: stores.directory,
    usage: new UsageStore(),
    outcomes: stores.outcomes,
    forms: new FormStore(),
    rules: DEFAULT_RULES,
    now,
  });
  const index = new DirectoryIndex(db, stores.snapshots, stores.revisions, DEFAULT_RULES, now);
  const homes = new HomeService({
    db,
    requests: stores.requests,
    queries: requests.queries,
    outcomes: stores.outcomes,
    homes: stores.homes,
    matches: new MatchService(db, index, stores.snapshots, now),
    now,
  });
  // The rep owns the account too, so one Home shows every list.
  const account = await insertAccount(db, { name: 'Acme', products: ['Analytics'], ownerId: REP.id });
  const contacts = [
    await insertContact(db, account, { name: 'Ann', activities: ['reference_call', 'case_study'] }),
    await insertContact(db, account, { name: 'Bob' }),
    await insertContact(db, account, { name: 'Cat' }),
  ];
  let made = 0;

  /** A request taken through the services to `journey`, its contacts taken in turn. */
  async function request(journey: Journey): Promise<number> {
    made += 1;
    const contactId = contacts[made % contacts.length]!;
    const { id } = await requests.submit.submit(
      REP.id,
      {
        prospect: `Prospect ${made}`,
        amount: made * 1000,
        products: ['Analytics'],
        activity: 'reference_call',
        neededBy: `2026-11-${String(22 + (made % 8)).padStart(2, '0')}`,
        context: 'Rollout at scale',
        preferredContactId: made % 2 === 0 ? contacts[(made + 1) % contacts.length] : null,
      },
      'UTC',
    );
    await advance(id, journey, contactId);
    return id;
  }

  async function advance(id: number, journey: Journey, contactId: number): Promise<void> {
    if (journey === 'submitted') return;
    if (journey === 'denied') return requests.decide.deny(MANAGER, id, { reason: 'Too early' });
    if (journey === 'cancelled') {
      await requests.close.cancel(REP, id);
      return;
    }
    if (journey === 'expired') {
      await requests.close.expire(id);
      return;
    }
    const approve = (contact: number) =>
      requests.decide.approve(MANAGER, id, { contact, note: 'Go', overrideReason: 'Test data' });
    const ask = await approve(contactId);
    if (journey === 'awaiting_owner') return;
    if (journey === 'reminded') {
      // The lifecycle job's write, made straight: the owner was reminded once.
      await stores.requests.markReminded(db, ask.id, 0, NOW.toISOString());
      return;
    }
    if (journey === 'declined' || journey === 'reapproved') {
      await requests.answer.answer(MANAGER, ask.id, 'declined');
      if (journey === 'reapproved') await approve(contacts.find((c) => c !== contactId)!);
      return;
    }
    await requests.answer.answer(MANAGER, ask.id, 'agreed');
    if (journey === 'agreed') return;
    if (journey === 'not_held') return requests.outcome.notHeld(REP, id, { whyNot: 'Prospect went quiet' });
    await requests.outcome.held(REP, id, { rating: 4, helped: 'Numbers', movedDeal: 'yes' });
    if (journey === 'completed_won') await requests.outcome.deal(REP, id, { result: 'won', amount: 5000 });
  }

  return { db, requests, homes, stores, request, close: () => temp.close() };
}

/** Counts the SQL statements `run` sends to the database. */
export async function countQueries(db: Db, run: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const listener = (_query: Knex.Sql) => {
    count += 1;
  };
  db.on('query', listener);
  try {
    await run();
  } finally {
    db.removeListener('query', listener);
  }
  return count;
}
