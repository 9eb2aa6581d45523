import type { z } from 'zod';
import type { ProgramRules } from '../../domain/program-rules.ts';
import { type ReferenceAsk, type ReferenceRequest, requestRef } from '../../domain/reference.ts';
import {
  nextStatus,
  type RequestAction,
  type RequestStatus,
  statusLabel,
} from '../../domain/request-lifecycle.ts';
import { AlreadyDecidedError, InputError, NotAllowedError, NotFoundError } from '../../errors.ts';
import type { Db } from '../../store/database.ts';
import type { DirectoryStore } from '../../store/directory-store.ts';
import type { FormStore } from '../../store/form-store.ts';
import type { OutcomeStore } from '../../store/outcome-store.ts';
import type { RequestStore } from '../../store/request-store.ts';
import type { UsageStore } from '../../store/usage-store.ts';
import type { Notify, RefreshCards, RefreshHomes, UnitOfWork } from '../unit-of-work.ts';

/** The person acting, with their role as checked on the server for this very action. */
export interface Actor {
  id: string;
  isManager: boolean;
}

/** History entries written by refdesk itself (expiry) name this actor. */
export const SYSTEM_ACTOR = 'refdesk';

export interface RequestDeps {
  db: Db;
  work: UnitOfWork;
  requests: RequestStore;
  directory: DirectoryStore;
  usage: UsageStore;
  outcomes: OutcomeStore;
  forms: FormStore;
  rules: ProgramRules;
  now: () => Date;
}

/**
 * The input as the schema reads it, or an InputError naming each field's first problem: the
 * schema's keys are the form's fields, so the modal shows each message on its field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  throw new InputError(errors);
}

export function assertManager(actor: Actor): void {
  if (!actor.isManager) throw new NotAllowedError('Only reference managers can approve or deny requests.');
}

/** The rep who asked (or a manager) reports on a request. */
export function assertReporter(actor: Actor, request: ReferenceRequest): void {
  if (request.requesterId !== actor.id && !actor.isManager) {
    throw new NotAllowedError(
      (name) =>
        `Only ${name(request.requesterId)}, who asked for ${requestRef(request.id)}, can report on it.`,
    );
  }
}

/** What the request use cases share: one transaction per change, and the moves of the state machine. */
export abstract class RequestUseCase {
  constructor(protected readonly deps: RequestDeps) {}

  /**
   * A change of a request also changes the matcher's usage figures (asks and their states), unless
   * it has no ask yet (`usage` false: a new request), which then keeps off the shared counter's lock.
   */
  protected transact<T>(
    work: (trx: Db, notify: Notify, refreshHomes: RefreshHomes, refreshCards: RefreshCards) => Promise<T>,
    usage = true,
  ): Promise<T> {
    return this.deps.work.run(usage ? ['usage'] : [], work);
  }

  /** The request, locked for the transaction that may change it, so concurrent changes take turns. */
  protected async load(db: Db, requestId: number): Promise<ReferenceRequest> {
    const request = await this.deps.requests.get(db, requestId, { forUpdate: true });
    if (!request) throw new NotFoundError(`There is no request ${requestRef(requestId)}.`);
    return request;
  }

  protected async currentAsk(db: Db, request: ReferenceRequest): Promise<ReferenceAsk | null> {
    return request.currentAskId ? this.deps.requests.getAsk(db, request.currentAskId) : null;
  }

  /**
   * Refuses an action the request's state does not allow, saying who moved it on. An owner's
   * answer must also be for the request's current, unanswered ask (not an older nudge).
   */
  protected async assertStatus(
    db: Db,
    request: ReferenceRequest,
    action: RequestAction,
    ask?: ReferenceAsk,
  ): Promise<void> {
    const askIsOpen = !ask || (request.currentAskId === ask.id && ask.answer === null);
    if (nextStatus(request.status, action) && askIsOpen) return;
    const current = ask ?? (await this.currentAsk(db, request));
    throw new AlreadyDecidedError((name) => decidedText(request, name, ask, current));
  }

  /** Moves the request along the state machine (if nobody else did meanwhile) and records it. */
  protected async move(
    trx: Db,
    request: ReferenceRequest,
    action: RequestAction,
    actorId: string,
    at: string,
    extra: { currentAskId?: number; closedBy?: string; closeReason?: string | null },
    reason: string | null,
  ): Promise<RequestStatus> {
    const to = nextStatus(request.status, action)!;
    const won = await this.deps.requests.changeStatus(trx, {
      id: request.id,
      from: request.status,
      to,
      at,
      ...extra,
    });
    if (!won)
      throw new AlreadyDecidedError(`${requestRef(request.id)} was changed by somebody else just now.`);
    await this.record(trx, request.id, actorId, action, request.status, to, reason, at);
    return to;
  }

  protected record(
    trx: Db,
    requestId: number,
    actorId: string,
    action: string,
    fromStatus: RequestStatus | null,
    toStatus: RequestStatus,
    reason: string | null,
    at: string,
  ): Promise<void> {
    return this.deps.requests.appendHistory(trx, {
      requestId,
      actorId,
      action,
      fromStatus,
      toStatus,
      reason,
      at,
    });
  }
}

function decidedText(
  request: ReferenceRequest,
  name: (userId: string) => string,
  ask?: ReferenceAsk,
  current?: ReferenceAsk | null,
): string {
  const ref = requestRef(request.id);
  const status = statusLabel(request.status).toLowerCase();
  if (ask?.answer && ask.answeredBy) return `${ref}: this was already answered by ${name(ask.answeredBy)}.`;
  if (request.status === 'denied') return `${ref} was already denied by ${name(request.closedBy ?? '')}.`;
  if (request.status === 'cancelled') return `${ref} was cancelled by ${name(request.closedBy ?? '')}.`;
  if (ask && request.currentAskId !== ask.id) return `${ref}: this ask was replaced by a newer one.`;
  if (request.status === 'submitted') return `${ref} is back with the reference managers.`;
  if (current) return `${ref} was already approved by ${name(current.approvedBy)}: ${status}.`;
  return `${ref} was already decided: ${status}.`;
}
