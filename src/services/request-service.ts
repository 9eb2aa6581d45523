import { subDays } from 'date-fns';
import { z } from 'zod';
import { isIsoDate, localDate } from '../domain/dates.ts';
import { isAvailable } from '../domain/matching.ts';
import { type ProgramRules, ruleViolations } from '../domain/program-rules.ts';
import { contactName, type ReferenceAsk, type ReferenceRequest, requestRef } from '../domain/reference.ts';
import { type DirectoryFacets, LIMITS, validateRequestDraft } from '../domain/request-draft.ts';
import {
  nextStatus,
  type RequestAction,
  type RequestStatus,
  statusLabel,
} from '../domain/request-lifecycle.ts';
import { hasVisibleText } from '../domain/visible-text.ts';
import { activityLabel, type OwnerAnswer } from '../domain/vocabulary.ts';
import { AlreadyDecidedError, InputError, NotAllowedError, NotFoundError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import type { DirectoryStore } from '../store/directory-store.ts';
import type { OutcomeStore } from '../store/outcome-store.ts';
import type { RequestStore } from '../store/request-store.ts';
import type { UsageStore } from '../store/usage-store.ts';
import { type RequestDetails, readRequestDetails } from './request-details.ts';
import type { Notify, UnitOfWork } from './unit-of-work.ts';

/** The person acting, with their role as checked on the server for this very action. */
export interface Actor {
  id: string;
  isManager: boolean;
}

export type { RequestDetails } from './request-details.ts';

const FACETS_TTL_MS = 30_000;

/** History entries written by refdesk itself (expiry) name this actor. */
export const SYSTEM_ACTOR = 'refdesk';

const heldSchema = z.object({
  rating: z.coerce
    .number('Rate it from 1 to 5.')
    .int()
    .min(1, 'Rate it from 1 to 5.')
    .max(5, 'Rate it from 1 to 5.'),
  helped: z
    .string()
    .trim()
    .max(LIMITS.reason, `Keep it under ${LIMITS.reason} characters.`)
    .nullish()
    .transform((v) => v || null),
  movedDeal: z.enum(['yes', 'no', 'too_early'], 'Pick one.').nullish(),
});

const dealSchema = z.object({
  result: z.enum(['won', 'lost'], 'Pick won or lost.'),
  amount: z.preprocess(
    (v) => (v === null || v === undefined || (typeof v === 'string' && v.trim() === '') ? null : v),
    z.coerce
      .number('Enter the amount as a number.')
      .finite()
      .min(0, 'The amount cannot be negative.')
      .max(LIMITS.amount)
      .nullable(),
  ),
});

function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  return errors;
}

const ownerActions: Record<OwnerAnswer, RequestAction> = {
  agreed: 'owner_agreed',
  declined: 'owner_declined',
  cannot_ask: 'owner_cannot_ask',
};

export interface RequestServiceDeps {
  db: Db;
  work: UnitOfWork;
  requests: RequestStore;
  directory: DirectoryStore;
  usage: UsageStore;
  outcomes: OutcomeStore;
  rules: ProgramRules;
  now: () => Date;
}

/** The use cases of the core loop: ask, decide, secure the contact, cancel. */
export class RequestService {
  private facetsCache: { at: number; value: Promise<DirectoryFacets> } | null = null;

  constructor(private readonly deps: RequestServiceDeps) {}

  /** The directory's industries, products, regions and sizes; cached briefly because every form needs them. */
  facets(): Promise<DirectoryFacets> {
    const at = this.deps.now().getTime();
    if (!this.facetsCache || at - this.facetsCache.at > FACETS_TTL_MS) {
      const value = this.deps.directory.facets(this.deps.db);
      value.catch(() => {
        this.facetsCache = null;
      });
      this.facetsCache = { at, value };
    }
    return this.facetsCache.value;
  }

  async submit(requesterId: string, input: unknown, timeZone: string | null): Promise<ReferenceRequest> {
    const now = this.deps.now();
    const result = validateRequestDraft(input, localDate(now, timeZone), await this.facets());
    if (!result.ok) throw new InputError(result.errors);
    const { draft } = result;
    return this.transact(async (trx, notify) => {
      if (draft.preferredContactId !== null) {
        const contact = await this.deps.directory.profile(trx, draft.preferredContactId);
        if (!contact || !isAvailable(contact, localDate(now, 'UTC'))) {
          throw new InputError({
            preferredContactId: 'This contact is not available any more; pick another one.',
          });
        }
      }
      const at = now.toISOString();
      const request = await this.deps.requests.insert(trx, requesterId, draft, at);
      await this.record(trx, request.id, requesterId, 'submit', null, 'submitted', null, at);
      notify({ to: { user: requesterId }, notification: { type: 'rep_submitted', requestId: request.id } });
      notify({ to: 'managers', notification: { type: 'request_card', requestId: request.id } });
      return request;
    });
  }

  /** The request with its current ask, or with the ask `askId` when a message is about an older one. */
  async details(requestId: number, askId?: number): Promise<RequestDetails> {
    const [details] = await readRequestDetails(this.deps, [{ requestId, askId }]);
    if (!details) throw new NotFoundError(`There is no request ${requestRef(requestId)}.`);
    return details;
  }

  /** The details of many requests in a few queries, in the order of `ids` (unknown ids are left out). */
  detailsMany(ids: readonly number[]): Promise<RequestDetails[]> {
    return readRequestDetails(
      this.deps,
      ids.map((requestId) => ({ requestId })),
    );
  }

  /** Checks, before a modal opens, that this actor may decide this request now. */
  async assertDecidable(actor: Actor, requestId: number): Promise<RequestDetails> {
    const details = await this.details(requestId);
    this.assertManager(actor);
    await this.assertStatus(this.deps.db, details.request, 'approve');
    return details;
  }

  /**
   * Approves a contact for a request. A contact over a program rule can only be approved
   * with an override reason, which is kept on the ask and in the history.
   */
  async approve(
    actor: Actor,
    requestId: number,
    input: { contactId: unknown; note: unknown; overrideReason?: unknown },
  ): Promise<ReferenceAsk> {
    this.assertManager(actor);
    const note = this.optionalText(input.note, LIMITS.note, 'note');
    const override = this.optionalText(input.overrideReason, LIMITS.reason, 'overrideReason');
    const contactId = Number(input.contactId);
    if (!Number.isInteger(contactId) || contactId <= 0) throw new InputError({ contact: 'Pick a contact.' });
    return this.transact(async (trx, notify) => {
      const request = await this.load(trx, requestId);
      await this.assertStatus(trx, request, 'approve');
      const contact = await this.deps.directory.profile(trx, contactId, { forUpdate: true });
      const now = this.deps.now();
      if (!contact || !isAvailable(contact, localDate(now, 'UTC'))) {
        throw new InputError({ contact: 'This contact is not active; pick another one.' });
      }
      const usage = await this.deps.usage.contactUsage(
        trx,
        { id: contact.id, accountId: contact.accountId },
        subDays(now, this.deps.rules.windowDays).toISOString(),
        localDate(now, 'UTC'),
      );
      const violations = ruleViolations(usage, this.deps.rules, now).map((v) => v.message);
      // The activity is a hard filter too: asking someone for what they never agreed to needs a reason.
      if (!contact.activities.includes(request.activity)) {
        violations.unshift(`has not agreed to a ${activityLabel(request.activity).toLowerCase()}`);
      }
      if (violations.length > 0 && !override) {
        throw new InputError({
          contact: `${contactName(contact)} ${violations.join('; ')}. To approve anyway, give an override reason.`,
        });
      }
      const overrideReason = violations.length > 0 ? override : null;
      const at = now.toISOString();
      const ask = await this.deps.requests.insertAsk(trx, {
        requestId,
        contactId,
        ownerId: contact.account.ownerId,
        approvedBy: actor.id,
        approvedAt: at,
        note,
        overrideReason,
      });
      const why = overrideReason
        ? `Override of the program rules (${violations.join('; ')}): ${overrideReason}`
        : note;
      await this.move(trx, request, 'approve', actor.id, at, { currentAskId: ask.id }, why);
      notify({ to: 'managers', notification: { type: 'request_card', requestId } });
      notify({ to: { user: ask.ownerId }, notification: { type: 'owner_nudge', requestId, askId: ask.id } });
      notify({
        to: { user: request.requesterId },
        notification: { type: 'rep_approved', requestId, askId: ask.id },
      });
      return ask;
    }, actor.id);
  }

  async deny(actor: Actor, requestId: number, reasonInput: unknown): Promise<void> {
    this.assertManager(actor);
    const reason = this.requiredText(reasonInput, LIMITS.reason, 'reason', 'Tell the rep why.');
    await this.transact(async (trx, notify) => {
      const request = await this.load(trx, requestId);
      await this.assertStatus(trx, request, 'deny');
      const at = this.deps.now().toISOString();
      await this.move(
        trx,
        request,
        'deny',
        actor.id,
        at,
        { closedBy: actor.id, closeReason: reason },
        reason,
      );
      notify({ to: 'managers', notification: { type: 'request_card', requestId } });
      notify({ to: { user: request.requesterId }, notification: { type: 'rep_denied', requestId } });
    }, actor.id);
  }

  /** The account owner's answer to "can you secure this contact?". */
  async answer(actor: Actor, askId: number, answer: OwnerAnswer): Promise<RequestStatus> {
    return this.transact(async (trx, notify) => {
      const ask = await this.deps.requests.getAsk(trx, askId);
      if (!ask) throw new NotFoundError('This ask does not exist any more.');
      if (actor.id !== ask.ownerId && !actor.isManager) {
        throw new NotAllowedError(
          `Only <@${ask.ownerId}>, the account owner, or a reference manager can answer this.`,
        );
      }
      const request = await this.load(trx, ask.requestId);
      await this.assertStatus(trx, request, ownerActions[answer], ask);
      const at = this.deps.now().toISOString();
      if (!(await this.deps.requests.answerAsk(trx, askId, answer, actor.id, at))) {
        throw new AlreadyDecidedError('This ask was already answered.');
      }
      const to = await this.move(trx, request, ownerActions[answer], actor.id, at, {}, null);
      const requestId = request.id;
      notify({ to: 'managers', notification: { type: 'request_card', requestId } });
      notify({ to: { user: ask.ownerId }, notification: { type: 'owner_nudge_closed', requestId, askId } });
      notify({
        to: { user: request.requesterId },
        notification: { type: 'rep_owner_answer', requestId, askId },
      });
      if (answer !== 'agreed') {
        notify({ to: 'managers', notification: { type: 'card_thread_owner_answer', requestId, askId } });
      }
      return to;
    }, actor.id);
  }

  async cancel(actor: Actor, requestId: number): Promise<ReferenceRequest> {
    return this.transact(async (trx, notify) => {
      const request = await this.load(trx, requestId);
      if (request.requesterId !== actor.id) {
        throw new NotAllowedError(
          `${requestRef(requestId)} is not yours; only the rep who asked can cancel it.`,
        );
      }
      const ask = request.currentAskId ? await this.deps.requests.getAsk(trx, request.currentAskId) : null;
      await this.assertStatus(trx, request, 'cancel');
      const at = this.deps.now().toISOString();
      await this.move(trx, request, 'cancel', actor.id, at, { closedBy: actor.id, closeReason: null }, null);
      notify({ to: 'managers', notification: { type: 'request_card', requestId } });
      if (request.status === 'awaiting_owner' && ask) {
        notify({
          to: { user: ask.ownerId },
          notification: { type: 'owner_nudge_closed', requestId, askId: ask.id },
        });
      }
      if ((request.status === 'awaiting_owner' || request.status === 'agreed') && ask) {
        notify({
          to: { user: ask.ownerId },
          notification: { type: 'owner_cancelled', requestId, askId: ask.id },
        });
      }
      return { ...request, status: 'cancelled' as const };
    }, actor.id);
  }

  /** A request still waiting when its needed-by date passed: closed, and rep and managers told. */
  async expire(requestId: number): Promise<boolean> {
    return this.transact(async (trx, notify) => {
      const request = await this.load(trx, requestId);
      if (!nextStatus(request.status, 'expire')) return false;
      const ask = request.currentAskId ? await this.deps.requests.getAsk(trx, request.currentAskId) : null;
      const at = this.deps.now().toISOString();
      await this.move(
        trx,
        request,
        'expire',
        SYSTEM_ACTOR,
        at,
        { closedBy: SYSTEM_ACTOR, closeReason: null },
        'needed-by date passed',
      );
      notify({ to: 'managers', notification: { type: 'request_card', requestId } });
      notify({ to: 'managers', notification: { type: 'card_thread_expired', requestId } });
      notify({ to: { user: request.requesterId }, notification: { type: 'rep_expired', requestId } });
      if (request.status === 'awaiting_owner' && ask) {
        notify({
          to: { user: ask.ownerId },
          notification: { type: 'owner_nudge_closed', requestId, askId: ask.id },
        });
      }
      return true;
    });
  }

  /** "Did it happen?" Yes: the rating and what helped. The contact's account owner is asked to thank them. */
  async recordOutcome(actor: Actor, requestId: number, input: unknown): Promise<void> {
    const parsed = heldSchema.safeParse(input);
    if (!parsed.success) throw new InputError(fieldErrors(parsed.error));
    const o = parsed.data;
    await this.deps.work.run(
      ['usage', 'ratings'],
      async (trx, notify) => {
        const { request, ask } = await this.outcomeTarget(trx, actor, requestId, 'held');
        const at = this.deps.now().toISOString();
        await this.move(trx, request, 'held', actor.id, at, {}, `rated ${o.rating}/5`);
        await this.deps.outcomes.insert(trx, {
          requestId,
          askId: ask.id,
          contactId: ask.contactId,
          happened: true,
          rating: o.rating,
          helped: o.helped ?? null,
          movedDeal: o.movedDeal ?? null,
          whyNot: null,
          recordedBy: actor.id,
          recordedAt: at,
        });
        await this.deps.requests.rateAsk(trx, ask.id, o.rating, at);
        notify({ to: 'managers', notification: { type: 'request_card', requestId } });
        notify({ to: { user: ask.ownerId }, notification: { type: 'owner_thank', requestId } });
        notify({
          to: { user: request.requesterId },
          notification: { type: 'rep_outcome_recorded', requestId },
        });
      },
      actor.id,
    );
  }

  /** "Did it happen?" No, and why. */
  async recordNotHeld(actor: Actor, requestId: number, whyInput: unknown): Promise<void> {
    const why = this.requiredText(whyInput, LIMITS.reason, 'whyNot', 'Say what happened instead.');
    await this.transact(async (trx, notify) => {
      const { request, ask } = await this.outcomeTarget(trx, actor, requestId, 'not_held');
      const at = this.deps.now().toISOString();
      await this.move(trx, request, 'not_held', actor.id, at, {}, why);
      await this.deps.outcomes.insert(trx, {
        requestId,
        askId: ask.id,
        contactId: ask.contactId,
        happened: false,
        rating: null,
        helped: null,
        movedDeal: null,
        whyNot: why,
        recordedBy: actor.id,
        recordedAt: at,
      });
      notify({ to: 'managers', notification: { type: 'request_card', requestId } });
    }, actor.id);
  }

  /** The deal's result, once the rep knows it: won deals count as influenced revenue. */
  async recordDeal(actor: Actor, requestId: number, input: unknown): Promise<void> {
    const parsed = dealSchema.safeParse(input);
    if (!parsed.success) throw new InputError(fieldErrors(parsed.error));
    await this.transact(async (trx, notify) => {
      const request = await this.load(trx, requestId);
      this.assertRep(actor, request);
      const outcome = await this.deps.outcomes.get(trx, requestId);
      if (request.status !== 'completed' || !outcome?.happened) {
        throw new AlreadyDecidedError(
          `${requestRef(requestId)} has no reference that happened to attach a deal to.`,
        );
      }
      const at = this.deps.now().toISOString();
      await this.deps.outcomes.recordDeal(trx, requestId, parsed.data.result, parsed.data.amount ?? null, at);
      notify({ to: 'managers', notification: { type: 'request_card', requestId } });
    }, actor.id);
  }

  /** The rep picks the day to be asked "Did it happen?" (instead of the day after needed-by). */
  async setFollowupDate(
    actor: Actor,
    requestId: number,
    dateInput: unknown,
    timeZone: string | null,
  ): Promise<void> {
    const today = localDate(this.deps.now(), timeZone);
    const date = typeof dateInput === 'string' ? dateInput : '';
    if (!isIsoDate(date)) throw new InputError({ followupOn: 'Pick a date from the calendar.' });
    if (date < today) throw new InputError({ followupOn: 'Pick today or a later date.' });
    await this.transact(async (trx) => {
      const request = await this.load(trx, requestId);
      this.assertRep(actor, request);
      if (!(await this.deps.requests.setFollowupOn(trx, requestId, date, this.deps.now().toISOString()))) {
        throw new AlreadyDecidedError(`${requestRef(requestId)} is not waiting for its outcome any more.`);
      }
    }, actor.id);
  }

  private assertRep(actor: Actor, request: ReferenceRequest): void {
    if (request.requesterId !== actor.id && !actor.isManager) {
      throw new NotAllowedError(
        `Only <@${request.requesterId}>, who asked for ${requestRef(request.id)}, can report on it.`,
      );
    }
  }

  private async outcomeTarget(trx: Db, actor: Actor, requestId: number, action: 'held' | 'not_held') {
    const request = await this.load(trx, requestId);
    this.assertRep(actor, request);
    await this.assertStatus(trx, request, action);
    const ask = request.currentAskId ? await this.deps.requests.getAsk(trx, request.currentAskId) : null;
    if (!ask) throw new NotFoundError(`${requestRef(requestId)} has no approved contact.`);
    return { request, ask };
  }

  async listMine(requesterId: string, limit = 20): Promise<RequestDetails[]> {
    const requests = await this.deps.requests.listByRequester(this.deps.db, requesterId, limit);
    return this.detailsMany(requests.map((r) => r.id));
  }

  async history(requestId: number) {
    return this.deps.requests.history(this.deps.db, requestId);
  }

  // --- helpers ---

  /** Every request change also changes the matcher's usage figures (asks and their states). */
  private transact<T>(work: (trx: Db, notify: Notify) => Promise<T>, actorId?: string): Promise<T> {
    return this.deps.work.run(['usage'], work, actorId);
  }

  /** The request, by default locked for the transaction that may change it, so concurrent changes take turns. */
  private async load(db: Db, requestId: number, opts = { forUpdate: true }): Promise<ReferenceRequest> {
    const request = await this.deps.requests.get(db, requestId, opts);
    if (!request) throw new NotFoundError(`There is no request ${requestRef(requestId)}.`);
    return request;
  }

  private assertManager(actor: Actor): void {
    if (!actor.isManager) throw new NotAllowedError('Only reference managers can approve or deny requests.');
  }

  /**
   * Refuses an action the request's state does not allow, saying who moved it on. An owner's
   * answer must also be for the request's current, unanswered ask (not an older nudge).
   */
  private async assertStatus(
    db: Db,
    request: ReferenceRequest,
    action: RequestAction,
    ask?: ReferenceAsk,
  ): Promise<void> {
    const askIsOpen = !ask || (request.currentAskId === ask.id && ask.answer === null);
    if (nextStatus(request.status, action) && askIsOpen) return;
    const current =
      ask ?? (request.currentAskId ? await this.deps.requests.getAsk(db, request.currentAskId) : null);
    throw new AlreadyDecidedError(this.decidedMessage(request, ask, current));
  }

  private decidedMessage(
    request: ReferenceRequest,
    ask?: ReferenceAsk,
    current?: ReferenceAsk | null,
  ): string {
    const ref = requestRef(request.id);
    const status = statusLabel(request.status).toLowerCase();
    if (ask?.answer && ask.answeredBy) return `${ref}: this was already answered by <@${ask.answeredBy}>.`;
    if (request.status === 'denied') return `${ref} was already denied by <@${request.closedBy}>.`;
    if (request.status === 'cancelled') return `${ref} was cancelled by <@${request.closedBy}>.`;
    if (ask && request.currentAskId !== ask.id) return `${ref}: this ask was replaced by a newer one.`;
    if (request.status === 'submitted') return `${ref} is back with the reference managers.`;
    if (current) return `${ref} was already approved by <@${current.approvedBy}>: ${status}.`;
    return `${ref} was already decided: ${status}.`;
  }

  private async move(
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

  private record(
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

  private optionalText(value: unknown, max: number, field: string): string | null {
    if (value === null || value === undefined) return null;
    const text = String(value).trim();
    if (text.length > max) throw new InputError({ [field]: `Keep it under ${max} characters.` });
    return hasVisibleText(text) ? text : null;
  }

  private requiredText(value: unknown, max: number, field: string, missing: string): string {
    const text = this.optionalText(value, max, field);
    if (!text) throw new InputError({ [field]: missing });
    return text;
  }
}
