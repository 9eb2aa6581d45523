import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.ts';
import { onUserChange } from './user-deleted.ts';

export function register(app: App, deps: ListenerDeps): void {
  // Who is a manager follows the managers' channel: every replica forgets its cached list when it
  // changes (Slack sends the event to one of them).
  const onMembership = async ({ event }: { event: { channel: string } }) => {
    if (event.channel !== deps.roles.managersChannel) return;
    try {
      await deps.sync.changed('managers');
    } catch (error) {
      deps.logger.warn(`could not tell the other replicas the managers changed: ${(error as Error).message}`);
    }
  };
  app.event('member_joined_channel', onMembership);
  app.event('member_left_channel', onMembership);

  // The Home tab adapts to whoever opens it, and stays fresh for them from then on.
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    try {
      await deps.homes.opened(event.user);
      await deps.homePublisher.publish(client, event.user);
    } catch (error) {
      deps.logger.warn(`could not publish the Home of ${event.user}: ${(error as Error).message}`);
    }
  });

  // A user deleted from the workspace is anonymised in refdesk's records.
  app.event('user_change', onUserChange(deps));
}
