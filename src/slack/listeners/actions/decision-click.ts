import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { RequestDetails } from '../../../services/request-service';
import { plainReply } from '../../blocks/command-replies';
import { parseJson, requestButtonSchema } from '../../payloads';
import { actorOf, errorText, type ListenerDeps, ROLE_UNKNOWN } from '../deps';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * Approve and Deny on the card: check the clicker is a manager and the request is still
 * undecided, then open the modal. Anyone else gets an ephemeral explanation.
 */
export function decisionClick(
  deps: ListenerDeps,
  modal: (details: RequestDetails) => ModalView | Promise<ModalView>,
) {
  return async ({ ack, body, action, client, respond }: Args): Promise<void> => {
    await ack();
    const tell = (text: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, ...plainReply(text) });
    const value = parseJson(requestButtonSchema, action.value);
    if (!value) return void (await tell('This button is out of date. Use the buttons on the latest card.'));
    const actor = await actorOf(deps, body.user.id);
    if (!actor) return void (await tell(ROLE_UNKNOWN));
    try {
      const details = await deps.requests.assertDecidable(actor, value.requestId);
      await client.views.open({ trigger_id: body.trigger_id, view: await modal(details) });
    } catch (error) {
      await tell(errorText(deps, error, 'opening the decision form'));
    }
  };
}
