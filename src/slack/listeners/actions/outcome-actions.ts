import type { ModalView } from '@slack/types';
import { requestRef } from '../../../domain/reference.ts';
import type { RequestDetails } from '../../../services/requests/index.ts';
import { dealModal, followupDateModal, notHeldModal, outcomeModal } from '../../blocks/lifecycle-messages.ts';
import { escapeText } from '../../mrkdwn.ts';
import { requestButtonSchema } from '../../payloads.ts';
import type { ListenerDeps } from '../deps.ts';
import { buttonHandler } from './button.ts';

/** Opens one of the rep's follow-up forms for a request of theirs. */
export function repForm(deps: ListenerDeps, build: (details: RequestDetails) => ModalView) {
  return buttonHandler(deps, requestButtonSchema, 'opening the form', async ({ actor, value, args }) => {
    const details = await deps.requests.queries.reportable(actor, value.requestId);
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
    const request = await deps.requests.close.cancel(actor, value.requestId);
    await tell(
      `${requestRef(request.id)} for *${escapeText(request.prospect)}* is cancelled. Everyone involved has been told.`,
    );
  });
}
