import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { NotAllowedError } from '../../../errors.ts';
import { plainReply } from '../../blocks/command-replies.ts';
import { reportModal } from '../../blocks/report.ts';
import { errorText, type ListenerDeps, ROLE_UNKNOWN } from '../deps.ts';
import { reportView, viewerOf } from '../report-view.ts';
import { openThenFill } from './open-then-fill.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const FIRST_PERIOD = 'last_30';

/**
 * `/reference report` (already acked): anyone but managers and report viewers is told privately;
 * the others get the modal at once, with the figures of the last 30 days in it once they are worked out.
 */
export async function openReport(deps: ListenerDeps, args: Args): Promise<void> {
  const { command, respond } = args;
  const reply = (text: string) => respond({ response_type: 'ephemeral', ...plainReply(text) });
  const viewer = await viewerOf(deps, command.user_id);
  try {
    if (!viewer) throw new NotAllowedError(ROLE_UNKNOWN);
    deps.reports.service.authorize(viewer);
  } catch (error) {
    return void (await reply(errorText(deps, error, 'opening the program report')));
  }
  const blank = { period: FIRST_PERIOD, from: null, to: null, report: null, choices: null } as const;
  await openThenFill(deps, args, {
    working: reportModal(blank, deps.now()),
    fill: () => reportView(deps, viewer, { period: FIRST_PERIOD }),
    failed: (note) => reportModal({ ...blank, note }, deps.now()),
    opening: 'opening the program report',
    workingOut: 'working out the program report',
  });
}
