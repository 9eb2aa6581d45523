import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { OwnerAnswer } from '../../../domain/vocabulary';
import { plainReply } from '../../blocks/command-replies';
import { askButtonSchema, parseJson } from '../../payloads';
import { actorOf, errorText, type ListenerDeps, ROLE_UNKNOWN } from '../deps';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** They agreed / They declined / Can't ask now, on the account owner's nudge. */
export function ownerAnswer(deps: ListenerDeps, answer: OwnerAnswer) {
  return async ({ ack, body, action, respond }: Args): Promise<void> => {
    await ack();
    const tell = (text: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, ...plainReply(text) });
    const value = parseJson(askButtonSchema, action.value);
    if (!value) return void (await tell('This button is out of date.'));
    const actor = await actorOf(deps, body.user.id);
    if (!actor) return void (await tell(ROLE_UNKNOWN));
    try {
      await deps.requests.answer(actor, value.askId, answer);
    } catch (error) {
      await tell(errorText(deps, error, 'recording your answer'));
    }
  };
}
