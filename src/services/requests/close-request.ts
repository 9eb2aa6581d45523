import { type ReferenceRequest, requestRef } from '../../domain/reference.ts';
import { nextStatus } from '../../domain/request-lifecycle.ts';
import { NotAllowedError } from '../../errors.ts';
import { type Actor, RequestUseCase, SYSTEM_ACTOR } from './request-use-case.ts';

/** A request ends before it is done: the rep cancels it, or its needed-by date passes. */
export class CloseRequest extends RequestUseCase {
  async cancel(actor: Actor, requestId: number): Promise<ReferenceRequest> {
    return this.transact(async (trx, notify, refreshHomes) => {
      const request = await this.load(trx, requestId);
      if (request.requesterId !== actor.id) {
        throw new NotAllowedError(
          `${requestRef(requestId)} is not yours; only the rep who asked can cancel it.`,
        );
      }
      const ask = await this.currentAsk(trx, request);
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
      refreshHomes({ users: [actor.id, ask?.ownerId], managers: true });
      return { ...request, status: 'cancelled' as const };
    });
  }

  /** A request still waiting when its needed-by date passed: closed, and rep and managers told. */
  async expire(requestId: number): Promise<boolean> {
    return this.transact(async (trx, notify, refreshHomes) => {
      const request = await this.load(trx, requestId);
      if (!nextStatus(request.status, 'expire')) return false;
      const ask = await this.currentAsk(trx, request);
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
      refreshHomes({ users: [request.requesterId, ask?.ownerId], managers: true });
      return true;
    });
  }
}
