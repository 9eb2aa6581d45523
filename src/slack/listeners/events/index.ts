import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps';

export function register(app: App, deps: ListenerDeps): void {
  // Who is a manager follows the managers' channel: forget the cached list when it changes.
  const onMembership = async ({ event }: { event: { channel: string } }) => {
    if (event.channel === deps.roles.managersChannel) deps.roles.invalidate();
  };
  app.event('member_joined_channel', onMembership);
  app.event('member_left_channel', onMembership);
}
