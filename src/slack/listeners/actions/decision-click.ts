import type { ModalView } from '@slack/types';
import type { RequestDetails } from '../../../services/requests/index.ts';
import { requestButtonSchema } from '../../payloads.ts';
import type { ListenerDeps } from '../deps.ts';
import { buttonHandler } from './button.ts';

/**
 * Approve and Deny on the card: check the clicker is a manager and the request is still
 * undecided, then open the modal. Anyone else gets an ephemeral explanation.
 */
export function decisionClick(
  deps: ListenerDeps,
  modal: (details: RequestDetails) => ModalView | Promise<ModalView>,
) {
  return buttonHandler(
    deps,
    requestButtonSchema,
    'opening the decision form',
    async ({ actor, value, args }) => {
      const details = await deps.requests.queries.decidable(actor, value.requestId);
      const view = await modal(details);
      await args.client.views.open({ trigger_id: args.body.trigger_id, view });
    },
  );
}
