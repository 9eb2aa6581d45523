import { addDays } from 'date-fns';
import { localDate } from '../domain/dates.ts';
import type { MatchCandidate } from '../domain/matching.ts';
import type { ContactUsage } from '../domain/program-rules.ts';
import type { Db } from '../store/database.ts';
import type { HomeViewStore } from '../store/event-store.ts';
import type { OutcomeStore } from '../store/outcome-store.ts';
import type { RequestStore } from '../store/request-store.ts';
import type { MatchService } from './match-service.ts';
import type { RequestDetails, RequestService } from './request-service.ts';
import { HOME_WATCH_DAYS } from './unit-of-work.ts';

const LIST = 8;
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

export interface HomeServiceDeps {
  db: Db;
  requests: RequestStore;
  requestService: RequestService;
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
    const { db, requests, requestService } = this.deps;
    const details = (ids: readonly number[]) =>
      Promise.all(ids.slice(0, LIST).map((id) => requestService.details(id)));
    const [myAsks, ownerAsks] = await Promise.all([
      requestService.listMine(userId, LIST),
      requests.waitingOnOwner(db, userId).then(details),
    ]);
    return { userId, myAsks, ownerAsks, manager: isManager ? await this.managerHome(details) : null };
  }

  private async managerHome(
    details: (ids: readonly number[]) => Promise<RequestDetails[]>,
  ): Promise<ManagerHome> {
    const { db, requests } = this.deps;
    const now = this.deps.now();
    const soon = localDate(addDays(now, SOON_DAYS), 'UTC');
    const [toDecideIds, waitingIds, toDecideCount, waitingCount, waiting, nearLimits, influenced] =
      await Promise.all([
        requests.idsByStatus(db, ['submitted'], LIST),
        requests.idsByStatus(db, ['awaiting_owner'], LIST),
        requests.countByStatus(db, ['submitted']),
        requests.countByStatus(db, ['awaiting_owner']),
        requests
          .idsByStatus(db, ['submitted', 'awaiting_owner'], 200)
          .then((ids) => Promise.all(ids.map((id) => this.deps.requestService.details(id)))),
        this.deps.matches.nearLimits(LIST),
        this.deps.outcomes.influencedRevenue(db),
      ]);
    return {
      toDecide: await details(toDecideIds),
      toDecideCount,
      waitingOnOwners: await details(waitingIds),
      waitingCount,
      overdue: waiting.filter((d) => d.ask && !d.ask.answer && d.ask.remindersSent > 0).slice(0, LIST),
      expiringSoon: waiting.filter((d) => d.request.neededBy <= soon).slice(0, LIST),
      nearLimits,
      influenced,
    };
  }
}
