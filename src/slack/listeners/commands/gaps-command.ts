import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { NotAllowedError } from '../../../errors.ts';
import { plainReply } from '../../blocks/command-replies.ts';
import { gapsModal } from '../../blocks/gaps.ts';
import { actorOf, errorText, type ListenerDeps, ROLE_UNKNOWN } from '../deps.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * `/reference gaps` (already acked): anyone but managers is told privately; managers get the modal at once,
 * with the gaps in it once they are worked out.
 */
export async function openGaps(deps: ListenerDeps, { command, client, respond }: Args): Promise<void> {
  const reply = (text: string) => respond({ response_type: 'ephemeral', ...plainReply(text) });
  const actor = await actorOf(deps, command.user_id);
  try {
    if (!actor) throw new NotAllowedError(ROLE_UNKNOWN);
    deps.gaps.authorize(actor);
  } catch (error) {
    return void (await reply(errorText(deps, error, 'opening the coverage gaps')));
  }
  let viewId: string | undefined;
  try {
    const opened = await client.views.open({ trigger_id: command.trigger_id, view: gapsModal(null) });
    viewId = opened.view?.id;
  } catch (error) {
    return void (await reply(errorText(deps, error, 'opening the coverage gaps')));
  }
  if (!viewId) return;
  try {
    await client.views.update({ view_id: viewId, view: gapsModal(await deps.gaps.gaps(actor)) });
  } catch (error) {
    const note = errorText(deps, error, 'working out the coverage gaps');
    await client.views.update({ view_id: viewId, view: gapsModal(null, note) }).catch(() => undefined);
  }
}
