import { z } from 'zod';
import { isIsoDate, localDate } from '../../domain/dates.ts';
import { requestRef } from '../../domain/reference.ts';
import { LIMITS } from '../../domain/request-draft.ts';
import { optionalText, requiredText } from '../../domain/text-fields.ts';
import { AlreadyDecidedError, NotFoundError } from '../../errors.ts';
import type { Db } from '../../store/database.ts';
import { type Actor, assertReporter, parseInput, RequestUseCase } from './request-use-case.ts';

const heldSchema = z.object({
  rating: z.coerce
    .number('Rate it from 1 to 5.')
    .int()
    .min(1, 'Rate it from 1 to 5.')
    .max(5, 'Rate it from 1 to 5.'),
  helped: optionalText(LIMITS.reason),
  movedDeal: z.enum(['yes', 'no', 'too_early'], 'Pick one.').nullish(),
});

const notHeldSchema = z.object({ whyNot: requiredText(LIMITS.reason, 'Say what happened instead.') });

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

const followupSchema = (today: string) =>
  z.object({
    followupOn: z
      .string('Pick a date from the calendar.')
      .refine(isIsoDate, 'Pick a date from the calendar.')
      .refine((date) => date >= today, 'Pick today or a later date.'),
  });

/** After the reference: did it happen, how was it, what became of the deal, or when to ask. */
export class ReportOutcome extends RequestUseCase {
  /** "Did it happen?" Yes: the rating and what helped. The contact's account owner is asked to thank them. */
  async held(actor: Actor, requestId: number, input: unknown): Promise<void> {
    const o = parseInput(heldSchema, input);
    await this.deps.work.run(['usage', 'ratings'], async (trx, notify, refreshHomes) => {
      const { request, ask } = await this.target(trx, actor, requestId, 'held');
      const at = this.deps.now().toISOString();
      await this.move(trx, request, 'held', actor.id, at, {}, `rated ${o.rating}/5`);
      await this.deps.outcomes.insert(trx, {
        requestId,
        askId: ask.id,
        contactId: ask.contactId,
        happened: true,
        rating: o.rating,
        helped: o.helped,
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
      refreshHomes({ users: [request.requesterId, ask.ownerId, actor.id], managers: true });
    });
  }

  /** "Did it happen?" No, and why. */
  async notHeld(actor: Actor, requestId: number, input: unknown): Promise<void> {
    const { whyNot } = parseInput(notHeldSchema, input);
    await this.transact(async (trx, notify, refreshHomes) => {
      const { request, ask } = await this.target(trx, actor, requestId, 'not_held');
      const at = this.deps.now().toISOString();
      await this.move(trx, request, 'not_held', actor.id, at, {}, whyNot);
      await this.deps.outcomes.insert(trx, {
        requestId,
        askId: ask.id,
        contactId: ask.contactId,
        happened: false,
        rating: null,
        helped: null,
        movedDeal: null,
        whyNot,
        recordedBy: actor.id,
        recordedAt: at,
      });
      notify({ to: 'managers', notification: { type: 'request_card', requestId } });
      refreshHomes({ users: [actor.id], managers: true });
    });
  }

  /** The deal's result, once the rep knows it: won deals count as influenced revenue. */
  async deal(actor: Actor, requestId: number, input: unknown): Promise<void> {
    const { result, amount } = parseInput(dealSchema, input);
    await this.transact(async (trx, notify, refreshHomes) => {
      const request = await this.load(trx, requestId);
      assertReporter(actor, request);
      const outcome = await this.deps.outcomes.get(trx, requestId);
      if (request.status !== 'completed' || !outcome?.happened) {
        throw new AlreadyDecidedError(
          `${requestRef(requestId)} has no reference that happened to attach a deal to.`,
        );
      }
      await this.deps.outcomes.recordDeal(
        trx,
        requestId,
        result,
        amount ?? null,
        this.deps.now().toISOString(),
      );
      notify({ to: 'managers', notification: { type: 'request_card', requestId } });
      refreshHomes({ users: [actor.id], managers: true });
    });
  }

  /** The rep picks the day to be asked "Did it happen?" (instead of the day after needed-by). */
  async followupOn(actor: Actor, requestId: number, input: unknown, timeZone: string | null): Promise<void> {
    const today = localDate(this.deps.now(), timeZone);
    const { followupOn } = parseInput(followupSchema(today), input);
    await this.transact(async (trx, _notify, refreshHomes) => {
      const request = await this.load(trx, requestId);
      assertReporter(actor, request);
      refreshHomes({ users: [actor.id] });
      const at = this.deps.now().toISOString();
      if (!(await this.deps.requests.setFollowupOn(trx, requestId, followupOn, at))) {
        throw new AlreadyDecidedError(`${requestRef(requestId)} is not waiting for its outcome any more.`);
      }
    });
  }

  private async target(trx: Db, actor: Actor, requestId: number, action: 'held' | 'not_held') {
    const request = await this.load(trx, requestId);
    assertReporter(actor, request);
    await this.assertStatus(trx, request, action);
    const ask = await this.currentAsk(trx, request);
    if (!ask) throw new NotFoundError(`${requestRef(requestId)} has no approved contact.`);
    return { request, ask };
  }
}
