import type { RequestAction, RequestStatus } from '../../domain/request-lifecycle.ts';
import type { OwnerAnswer } from '../../domain/vocabulary.ts';
import { AlreadyDecidedError, NotAllowedError, NotFoundError } from '../../errors.ts';
import { type Actor, RequestUseCase } from './request-use-case.ts';

const ownerActions: Record<OwnerAnswer, RequestAction> = {
  agreed: 'owner_agreed',
  declined: 'owner_declined',
  cannot_ask: 'owner_cannot_ask',
};

/** The account owner's answer to "can you secure this contact?" (a manager may answer for them). */
export class AnswerAsk extends RequestUseCase {
  async answer(actor: Actor, askId: number, answer: OwnerAnswer): Promise<RequestStatus> {
    return this.transact(async (trx, notify, refreshHomes) => {
      const found = await this.deps.requests.getAsk(trx, askId);
      if (!found) throw new NotFoundError('This ask does not exist any more.');
      // The request's row is locked first, as in every use case; the ask is read again under that lock,
      // so a second answer arriving at the same moment sees the first one's.
      const request = await this.load(trx, found.requestId);
      const ask = (await this.deps.requests.getAsk(trx, askId)) ?? found;
      if (actor.id !== ask.ownerId && !actor.isManager) {
        throw new NotAllowedError(
          (name) => `Only ${name(ask.ownerId)}, the account owner, or a reference manager can answer this.`,
        );
      }
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
      refreshHomes({ users: [request.requesterId, ask.ownerId, actor.id], managers: true });
      return to;
    });
  }
}
