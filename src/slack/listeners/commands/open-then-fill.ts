import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { plainReply } from '../../blocks/command-replies.ts';
import { errorText, type ListenerDeps } from '../deps.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export interface FilledModal {
  /** Shown at once: the trigger expires in 3 s, the figures can take longer. */
  working: ModalView;
  /** Works out the figures: the view that replaces `working`. */
  fill: () => Promise<ModalView>;
  /** What replaces `working` when `fill` fails, with the note saying why. */
  failed: (note: string) => ModalView;
  /** "opening the program report", "working out the program report": for the user and the log. */
  opening: string;
  workingOut: string;
}

/**
 * A command's modal that opens at once and fills in once its figures are worked out (already acked). The
 * update carries the opened view's hash: if the user changed the modal meanwhile, theirs stays. When it
 * cannot open, the user is told privately.
 */
export async function openThenFill(deps: ListenerDeps, { command, client, respond }: Args, m: FilledModal) {
  let viewId: string | undefined;
  let hash: string | undefined;
  try {
    const opened = await client.views.open({ trigger_id: command.trigger_id, view: m.working });
    viewId = opened.view?.id;
    hash = opened.view?.hash;
  } catch (error) {
    return void (await respond({
      response_type: 'ephemeral',
      ...plainReply(errorText(deps, error, m.opening)),
    }));
  }
  if (!viewId) return;
  try {
    await client.views.update({ view_id: viewId, hash, view: await m.fill() });
  } catch (error) {
    if ((error as { data?: { error?: string } }).data?.error === 'hash_conflict') return;
    const note = errorText(deps, error, m.workingOut);
    await client.views.update({ view_id: viewId, view: m.failed(note) }).catch(() => undefined);
  }
}
