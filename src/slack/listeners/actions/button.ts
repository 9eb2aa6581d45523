import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { z } from 'zod';
import type { Actor } from '../../../services/requests/index.ts';
import { plainReply } from '../../blocks/command-replies.ts';
import { parseJson } from '../../payloads.ts';
import { actorOf, errorText, type ListenerDeps, ROLE_UNKNOWN } from '../deps.ts';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export interface ButtonContext<V> {
  actor: Actor;
  value: V;
  args: ButtonArgs;
  /** A private reply: ephemeral in a channel or DM, a DM when the click came from the Home tab. */
  tell: (text: string) => Promise<void>;
}

/** A private reply to a click: ephemeral in a channel or DM, a DM from the Home tab or a modal (no response_url). */
export function privateReply({
  body,
  respond,
  client,
}: Pick<SlackActionMiddlewareArgs<BlockAction>, 'body' | 'respond'> & AllMiddlewareArgs): (
  text: string,
) => Promise<void> {
  return async (text) => {
    if (body.response_url)
      await respond({ response_type: 'ephemeral', replace_original: false, ...plainReply(text) });
    else await client.chat.postMessage({ channel: body.user.id, ...plainReply(text) });
  };
}

/**
 * The shape every button shares: ack at once, parse the value refdesk put in it, check who
 * clicked on the server, run the use case, and explain privately when it cannot be done.
 */
export function buttonHandler<S extends z.ZodType>(
  deps: ListenerDeps,
  schema: S,
  what: string,
  run: (ctx: ButtonContext<z.infer<S>>) => Promise<void>,
) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, body, action } = args;
    await ack();
    const tell = privateReply(args);
    const value = parseJson(schema, action.value);
    if (!value) return void (await tell('This button is out of date.'));
    const actor = await actorOf(deps, body.user.id);
    if (!actor) return void (await tell(ROLE_UNKNOWN));
    try {
      await run({ actor, value, args, tell });
    } catch (error) {
      await tell(errorText(deps, error, what));
    }
  };
}
