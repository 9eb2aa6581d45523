import { localDate } from '../domain/dates.ts';
import { requestRef } from '../domain/reference.ts';
import {
  addBusinessDaysIn,
  EARLIEST_CALENDAR,
  followupAt,
  hasExpired,
  type LifecyclePolicy,
  nextOwnerStep,
} from '../domain/schedule.ts';
import { AlreadyDecidedError, NotAllowedError, NotFoundError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import type { DirectoryStore } from '../store/directory-store.ts';
import type { RequestStore } from '../store/request-store.ts';
import type { CloseRequest } from './requests/close-request.ts';
import type { Actor } from './requests/index.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export interface LifecycleDeps {
  db: Db;
  work: UnitOfWork;
  requests: RequestStore;
  directory: DirectoryStore;
  close: CloseRequest;
  /** Users' time zones, each fetched again when unknown or old (so a failed fetch is retried next pass). */
  timeZonesOf: (userIds: readonly string[]) => Promise<ReadonlyMap<string, string | null>>;
  policy: LifecyclePolicy;
  now: () => Date;
}

export interface LifecycleRun {
  reminded: number;
  escalated: number;
  expired: number;
  followedUp: number;
  /** Contacts whose pause ended and who are active again. */
  resumed: number;
}

/**
 * Keeps every ask moving: reminds owners, tells managers when an owner stays silent, expires
 * what is past its date and asks reps how it went. Everything it needs is in the rows; every
 * write is conditional, so running it twice (a restart, a second replica) does nothing twice.
 */
export class LifecycleService {
  constructor(private readonly deps: LifecycleDeps) {}

  async runDue(): Promise<LifecycleRun> {
    const run: LifecycleRun = { reminded: 0, escalated: 0, expired: 0, followedUp: 0, resumed: 0 };
    run.resumed = await this.resumeEndedPauses();
    await this.expireDue(run);
    await this.remindOwners(run);
    await this.followUp(run);
    return run;
  }

  /** "Remind me in 2 days" on a nudge: the owner (or a manager) pushes the next reminder back. */
  async snooze(actor: Actor, askId: number): Promise<string> {
    const { db, requests, policy } = this.deps;
    const ask = await requests.getAsk(db, askId);
    if (!ask) throw new NotFoundError('This ask does not exist any more.');
    if (actor.id !== ask.ownerId && !actor.isManager) {
      throw new NotAllowedError(
        (name) => `Only ${name(ask.ownerId)}, the account owner, or a reference manager can do this.`,
      );
    }
    const until = addBusinessDaysIn(
      this.deps.now(),
      policy.snoozeBusinessDays,
      await this.timeZone(ask.ownerId),
    );
    const done = await this.deps.work.run([], (trx) => requests.snooze(trx, askId, until.toISOString()));
    if (!done) {
      throw new AlreadyDecidedError(`${requestRef(ask.requestId)} is not waiting for your answer any more.`);
    }
    return until.toISOString();
  }

  private async resumeEndedPauses(): Promise<number> {
    const now = this.deps.now();
    return this.deps.work.run(
      (resumed) => (resumed > 0 ? ['directory'] : []),
      (trx) => this.deps.directory.resumeEndedPauses(trx, localDate(now, 'UTC'), now.toISOString()),
    );
  }

  private async expireDue(run: LifecycleRun): Promise<void> {
    const now = this.deps.now();
    const candidates = await this.deps.requests.waitingPast(this.deps.db, localDate(now, EARLIEST_CALENDAR));
    const zones = await this.deps.timeZonesOf(candidates.map((r) => r.requesterId));
    for (const request of candidates) {
      const repZone = zones.get(request.requesterId) ?? null;
      if (hasExpired(request.neededBy, now, repZone) && (await this.deps.close.expire(request.id)))
        run.expired++;
    }
  }

  private async remindOwners(run: LifecycleRun): Promise<void> {
    const { db, requests, policy } = this.deps;
    const now = this.deps.now();
    const waiting = await requests.waitingOnOwners(db);
    const zones = await this.deps.timeZonesOf(waiting.map(({ ask }) => ask.ownerId));
    for (const { request, ask } of waiting) {
      const step = nextOwnerStep(ask, zones.get(ask.ownerId) ?? null, policy);
      if (!step || step.dueAt > now) continue;
      const at = now.toISOString();
      const ids = { requestId: request.id, askId: ask.id };
      if (step.kind === 'remind') {
        const sent = await this.deps.work.run([], async (trx, notify, refreshHomes) => {
          if (!(await requests.markReminded(trx, ask.id, ask.remindersSent, at))) return false;
          notify({ to: { user: ask.ownerId }, notification: { type: 'owner_reminder', ...ids } });
          refreshHomes({ users: [ask.ownerId] });
          return true;
        });
        if (sent) run.reminded++;
      } else {
        const told = await this.deps.work.run([], async (trx, notify, refreshHomes) => {
          if (!(await requests.markEscalated(trx, ask.id, at))) return false;
          notify({ to: 'managers', notification: { type: 'card_thread_escalation', ...ids } });
          refreshHomes({ managers: true });
          return true;
        });
        if (told) run.escalated++;
      }
    }
  }

  private async followUp(run: LifecycleRun): Promise<void> {
    const { db, requests, policy } = this.deps;
    const now = this.deps.now();
    // Only those whose day has begun somewhere: every one read costs a time-zone look-up (a program of
    // 200,000 asks had ~4,000 agreed for later, which made each pass 0.6-0.8 s instead of ~0.1 s).
    const pending = await requests.followupsPending(db, localDate(now, EARLIEST_CALENDAR));
    const zones = await this.deps.timeZonesOf(pending.map((r) => r.requesterId));
    for (const request of pending) {
      const due = followupAt(
        request.neededBy,
        request.followupOn,
        zones.get(request.requesterId) ?? null,
        policy,
      );
      if (due > now) continue;
      const sent = await this.deps.work.run([], async (trx, notify, refreshHomes) => {
        if (!(await requests.markFollowupSent(trx, request.id, now.toISOString()))) return false;
        notify({
          to: { user: request.requesterId },
          notification: { type: 'rep_followup', requestId: request.id },
        });
        refreshHomes({ users: [request.requesterId] });
        return true;
      });
      if (sent) run.followedUp++;
    }
  }

  private async timeZone(userId: string): Promise<string | null> {
    return (await this.deps.timeZonesOf([userId])).get(userId) ?? null;
  }
}
