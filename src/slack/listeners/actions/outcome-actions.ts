import type { ModalView } from '@slack/types';
import { requestRef } from '../../../domain/reference';
import { NotAllowedError } from '../../../errors';
import type { RequestDetails } from '../../../services/request-service';
import { dealModal, followupDateModal, notHeldModal, outcomeModal } from '../../blocks/lifecycle-messages';
import { escapeText } from '../../mrkdwn';
import { requestButtonSchema } from '../../payloads';
import type { ListenerDeps } from '../deps';
import { buttonHandler } from './button';

/** Opens one of the rep's follow-up forms for a request of theirs. */
export function repForm(deps: ListenerDeps, build: (details: RequestDetails) => ModalView) {
  return buttonHandler(deps, requestButtonSchema, 'opening the form', async ({ actor, value, args }) => {
    const details = await deps.requests.details(value.requestId);
    if (details.request.requesterId !== actor.id && !actor.isManager) {
      throw new NotAllowedError(
        `Only <@${details.request.requesterId}>, who asked for ${requestRef(value.requestId)}, can report on it.`,
      );
    }
    await args.client.views.open({ trigger_id: args.body.trigger_id, view: build(details) });
  });
}

export const outcomeForms = (deps: ListenerDeps) => ({
  yes: repForm(deps, outcomeModal),
  no: repForm(deps, notHeldModal),
  later: repForm(deps, followupDateModal),
  deal: repForm(deps, dealModal),
});

/** Cancel on the Home tab: the same as `/reference cancel REF-12`. */
export function cancelRequest(deps: ListenerDeps) {
  return buttonHandler(deps, requestButtonSchema, 'cancelling your ask', async ({ actor, value, tell }) => {
    const request = await deps.requests.cancel(actor, value.requestId);
    await tell(
      `${requestRef(request.id)} for *${escapeText(request.prospect)}* is cancelled. Everyone involved has been told.`,
    );
  });
}
