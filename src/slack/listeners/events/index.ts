import type { ListenerDeps } from '../deps.ts';
import type { ListenerRouter } from '../router.ts';

export function register(router: ListenerRouter, deps: ListenerDeps): void {
  // Who is a manager follows the managers' channel: forget the cached list when it changes.
  const onMembership = async ({ event }: { event: { channel: string } }) => {
    if (event.channel === deps.roles.managersChannel) deps.roles.invalidate();
  };
  router.event('member_joined_channel', onMembership);
  router.event('member_left_channel', onMembership);

  // The Home tab adapts to whoever opens it, and stays fresh for them from then on.
  router.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    try {
      await deps.homes.opened(event.user);
      await deps.homePublisher.publish(event.user);
    } catch (error) {
      deps.logger.warn(`could not publish the Home of ${event.user}: ${(error as Error).message}`);
    }
  });
}
