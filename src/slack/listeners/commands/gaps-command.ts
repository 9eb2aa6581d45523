import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { NotAllowedError } from '../../../errors.ts';
import { plainReply } from '../../blocks/command-replies.ts';
import { gapsModal } from '../../blocks/gaps.ts';
import { actorOf, errorText, type ListenerDeps, ROLE_UNKNOWN } from '../deps.ts';
import { openThenFill } from './open-then-fill.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * `/reference gaps` (already acked): anyone but managers is told privately; managers get the modal at once,
 * with the gaps in it once they are worked out.
 */
export async function openGaps(deps: ListenerDeps, args: Args): Promise<void> {
  const { command, respond } = args;
  const reply = (text: string) => respond({ response_type: 'ephemeral', ...plainReply(text) });
  const actor = await actorOf(deps, command.user_id);
  try {
    if (!actor) throw new NotAllowedError(ROLE_UNKNOWN);
    deps.gaps.authorize(actor);
  } catch (error) {
    return void (await reply(errorText(deps, error, 'opening the coverage gaps')));
  }
  await openThenFill(deps, args, {
    working: gapsModal(null),
    fill: async () => gapsModal(await deps.gaps.gaps(actor)),
    failed: (note) => gapsModal(null, note),
    opening: 'opening the coverage gaps',
    workingOut: 'working out the coverage gaps',
  });
}
