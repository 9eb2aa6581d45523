import { addDays } from 'date-fns';
import { localDate } from '../domain/dates.ts';
import type { MatchCandidate } from '../domain/matching.ts';
import type { ContactUsage } from '../domain/program-rules.ts';
import type { RequestStatus } from '../domain/request-lifecycle.ts';
import type { Db } from '../store/database.ts';
import type { HomeViewStore } from '../store/event-store.ts';
import type { OutcomeStore } from '../store/outcome-store.ts';
import type { RequestStore } from '../store/request-store.ts';
import type { MatchService } from './match-service.ts';
import type { RequestDetails } from './requests/index.ts';
import type { RequestQueries } from './requests/request-queries.ts';
import { HOME_WATCH_DAYS } from './unit-of-work.ts';

const LIST = 8;
/** The waiting requests looked through for the overdue and the expiring ones. */
const WAITING_READ = 200;
/** "Expiring soon": needed within this many days and still waiting. */
const SOON_DAYS = 3;

/** What one person's App Home shows: their asks, what waits on them, and for managers the queue. */
export interface HomeData {
  userId: string;
  myAsks: RequestDetails[];
  ownerAsks: RequestDetails[];
  manager: ManagerHome | null;
}

export interface ManagerHome {
  toDecide: RequestDetails[];
  toDecideCount: number;
  waitingOnOwners: RequestDetails[];
  waitingCount: number;
  overdue: RequestDetails[];
  expiringSoon: RequestDetails[];
  nearLimits: { contact: MatchCandidate; usage: ContactUsage }[];
  influenced: { deals: number; amount: number };
}

/** The managers' queue as request ids, read before their details are. */
interface ManagerQueue extends Pick<ManagerHome, 'nearLimits' | 'influenced'> {
  toDecide: number[];
  waitingOnOwners: number[];
  waiting: number[];
  counts: Map<RequestStatus, number>;
}

type PickDetails = (ids: readonly number[]) => RequestDetails[];

export interface HomeServiceDeps {
  db: Db;
  requests: RequestStore;
  queries: RequestQueries;
  outcomes: OutcomeStore;
  homes: HomeViewStore;
  matches: MatchService;
  now: () => Date;
}

export class HomeService {
  constructor(private readonly deps: HomeServiceDeps) {}

  async opened(userId: string): Promise<void> {
    await this.deps.homes.opened(this.deps.db, userId, this.deps.now().toISOString());
  }

  /** Of these users, those who look at their Home (so it is worth re-rendering). */
  async watching(userIds: readonly string[]): Promise<string[]> {
    const since = addDays(this.deps.now(), -HOME_WATCH_DAYS).toISOString();
    return this.deps.homes.watching(this.deps.db, userIds, since);
  }

  async watchingAny(): Promise<string[]> {
    const since = addDays(this.deps.now(), -HOME_WATCH_DAYS).toISOString();
    return this.deps.homes.watchingSince(this.deps.db, since);
  }

  async build(userId: string, isManager: boolean): Promise<HomeData> {
    const { db, requests } = this.deps;
    const [mine, owned, queue] = await Promise.all([
      requests.listByRequester(db, userId, LIST),
      requests.waitingOnOwner(db, userId),
      isManager ? this.managerQueue() : null,
    ]);
    const myIds = mine.map((r) => r.id);
    const ownerIds = owned.slice(0, LIST);
    const queueIds = queue ? [...queue.toDecide, ...queue.waitingOnOwners, ...queue.waiting] : [];
    // One read for every list on the Home: a few queries however long the queue is.
    const read = await this.deps.queries.detailsMany([...myIds, ...ownerIds, ...queueIds]);
    const byId = new Map(read.map((d) => [d.request.id, d]));
    const pick: PickDetails = (ids) => ids.flatMap((id) => byId.get(id) ?? []);
    return {
      userId,
      myAsks: pick(myIds),
      ownerAsks: pick(ownerIds),
      manager: queue && this.managerHome(queue, pick),
    };
  }

  private async managerQueue(): Promise<ManagerQueue> {
    const { db, requests } = this.deps;
    const [toDecide, waitingOnOwners, waiting, counts, nearLimits, influenced] = await Promise.all([
      requests.idsByStatus(db, ['submitted'], LIST),
      requests.idsByStatus(db, ['awaiting_owner'], LIST),
      requests.idsByStatus(db, ['submitted', 'awaiting_owner'], WAITING_READ),
      requests.countByStatus(db, ['submitted', 'awaiting_owner']),
      this.deps.matches.nearLimits(LIST),
      this.deps.outcomes.influencedRevenue(db),
    ]);
    return { toDecide, waitingOnOwners, waiting, counts, nearLimits, influenced };
  }

  private managerHome(queue: ManagerQueue, pick: PickDetails): ManagerHome {
    const soon = localDate(addDays(this.deps.now(), SOON_DAYS), 'UTC');
    const waiting = pick(queue.waiting);
    return {
      toDecide: pick(queue.toDecide),
      toDecideCount: queue.counts.get('submitted') ?? 0,
      waitingOnOwners: pick(queue.waitingOnOwners),
      waitingCount: queue.counts.get('awaiting_owner') ?? 0,
      overdue: waiting.filter((d) => d.ask && !d.ask.answer && d.ask.remindersSent > 0).slice(0, LIST),
      expiringSoon: waiting.filter((d) => d.request.neededBy <= soon).slice(0, LIST),
      nearLimits: queue.nearLimits,
      influenced: queue.influenced,
    };
  }
}
