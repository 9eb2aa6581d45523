import { subDays } from 'date-fns';
import { z } from 'zod';
import { localDate } from '../../domain/dates.ts';
import { isAvailable } from '../../domain/matching.ts';
import { ruleViolations } from '../../domain/program-rules.ts';
import { contactName, type ReferenceAsk } from '../../domain/reference.ts';
import { LIMITS } from '../../domain/request-draft.ts';
import { optionalText } from '../../domain/text-fields.ts';
import { activityLabel, NO_SUITABLE_REFERENCE } from '../../domain/vocabulary.ts';
import { InputError } from '../../errors.ts';
import { type Actor, assertManager, parseInput, RequestUseCase } from './request-use-case.ts';

/** The approve form: the contact, a note for the owner, and a reason when a program rule is overridden. */
const approvalSchema = z.object({
  contact: z.coerce.number('Pick a contact.').int('Pick a contact.').positive('Pick a contact.'),
  note: optionalText(LIMITS.note),
  overrideReason: optionalText(LIMITS.reason),
});

/** The deny form: why, in the manager's words, or "No suitable reference" (then the words are optional). */
const denialSchema = z
  .object({ reason: optionalText(LIMITS.reason), noSuitableReference: z.boolean().default(false) })
  .superRefine((input, ctx) => {
    if (!input.noSuitableReference && input.reason === null)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Tell the rep why.' });
  })
  .transform(({ reason, noSuitableReference }) =>
    noSuitableReference ? (reason ? `${NO_SUITABLE_REFERENCE}: ${reason}` : NO_SUITABLE_REFERENCE) : reason!,
  );

/** A reference manager approves a contact for a request, or denies it. */
export class DecideRequest extends RequestUseCase {
  /**
   * Approves a contact for a request. A contact over a program rule can only be approved
   * with an override reason, which is kept on the ask and in the history.
   */
  async approve(actor: Actor, requestId: number, input: unknown): Promise<ReferenceAsk> {
    assertManager(actor);
    const { contact: contactId, note, overrideReason: override } = parseInput(approvalSchema, input);
    return this.transact(async (trx, notify, refreshHomes, refreshCards) => {
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
      // The contact was just asked: other cards that suggest them show it (or drop them).
      refreshCards(await this.deps.requests.undecidedShowing(trx, [contactId]));
      notify({ to: { user: ask.ownerId }, notification: { type: 'owner_nudge', requestId, askId: ask.id } });
      notify({
        to: { user: request.requesterId },
        notification: { type: 'rep_approved', requestId, askId: ask.id },
      });
      refreshHomes({ users: [request.requesterId, ask.ownerId, actor.id], managers: true });
      return ask;
    });
  }

  async deny(actor: Actor, requestId: number, input: unknown): Promise<void> {
    assertManager(actor);
    const reason = parseInput(denialSchema, input);
    await this.transact(async (trx, notify, refreshHomes) => {
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
      refreshHomes({ users: [request.requesterId, actor.id], managers: true });
    });
  }
}
