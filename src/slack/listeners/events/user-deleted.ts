import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { type ListenerDeps, logFailure } from '../deps.ts';

type UserChangeArgs = SlackEventMiddlewareArgs<'user_change'> & AllMiddlewareArgs;

/**
 * Someone deleted from the workspace: refdesk forgets what it keeps about them beyond their id (see
 * ErasureService.forgetSlackUser). Every other profile change is none of refdesk's business.
 */
export function onUserChange(deps: ListenerDeps) {
  return async ({ event }: UserChangeArgs): Promise<void> => {
    if (event.user?.deleted !== true) return;
    const userId = event.user.id;
    try {
      const { rows, ownedAccounts } = await deps.erasure.forgetSlackUser(userId);
      if (rows > 0)
        deps.logger.info(`${userId} was deleted from Slack: refdesk forgot ${rows} rows about them`);
      if (ownedAccounts > 0) {
        deps.logger.warn(
          `${userId} was deleted from Slack but still owns ${ownedAccounts} accounts: give them a new owner in the directory`,
        );
      }
    } catch (error) {
      logFailure(deps.logger, `forgetting deleted user ${userId}`, error);
    }
  };
}
