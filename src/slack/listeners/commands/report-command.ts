import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { NotAllowedError } from '../../../errors.ts';
import { plainReply } from '../../blocks/command-replies.ts';
import { reportModal } from '../../blocks/report.ts';
import { errorText, type ListenerDeps, ROLE_UNKNOWN } from '../deps.ts';
import { reportView, viewerOf } from '../report-view.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const FIRST_PERIOD = 'last_30';

/**
 * `/reference report` (already acked): anyone but managers and report viewers is told privately;
 * the others get the modal at once, with the figures of the last 30 days in it once they are worked out.
 */
export async function openReport(deps: ListenerDeps, { command, client, respond }: Args): Promise<void> {
  const reply = (text: string) => respond({ response_type: 'ephemeral', ...plainReply(text) });
  const viewer = await viewerOf(deps, command.user_id);
  try {
    if (!viewer) throw new NotAllowedError(ROLE_UNKNOWN);
    deps.reports.service.authorize(viewer);
  } catch (error) {
    return void (await reply(errorText(deps, error, 'opening the program report')));
  }
  const blank = { period: FIRST_PERIOD, from: null, to: null, report: null, choices: null } as const;
  let viewId: string | undefined;
  let hash: string | undefined;
  try {
    const opened = await client.views.open({
      trigger_id: command.trigger_id,
      view: reportModal(blank, deps.now()),
    });
    viewId = opened.view?.id;
    hash = opened.view?.hash;
  } catch (error) {
    return void (await reply(errorText(deps, error, 'opening the program report')));
  }
  if (!viewId) return;
  try {
    // With the hash of the view opened: if the user picked another period meanwhile, theirs stays.
    await client.views.update({
      view_id: viewId,
      hash,
      view: await reportView(deps, viewer, { period: FIRST_PERIOD }),
    });
  } catch (error) {
    if ((error as { data?: { error?: string } }).data?.error === 'hash_conflict') return;
    const note = errorText(deps, error, 'working out the program report');
    await client.views
      .update({ view_id: viewId, view: reportModal({ ...blank, note }, deps.now()) })
      .catch(() => undefined);
  }
}
