import type { Logger } from '@slack/bolt';
import type { HomeService } from '../services/home-service.ts';
import { homeView } from './blocks/home.ts';
import type { ManagerRoles } from './manager-roles.ts';
import type { SlackWeb } from './web-api-thread.ts';

/** Renders and publishes App Homes: for one user, or for every manager who looks at theirs. */
export class HomePublisher {
  constructor(
    private readonly slack: SlackWeb,
    private readonly homes: HomeService,
    private readonly roles: ManagerRoles,
    private readonly windowDays: number,
    private readonly logger: Logger,
  ) {}

  async publish(userId: string): Promise<void> {
    const isManager = await this.roles.isManager(userId).catch(() => false);
    const data = await this.homes.build(userId, isManager);
    await this.slack.views.publish({ user_id: userId, view: homeView(data, this.windowDays) });
  }

  /** Re-renders the Home of `userId`, or of all watching managers for the managers' channel. */
  async refresh(userId: string, managersKey: string): Promise<void> {
    if (userId !== managersKey) {
      if ((await this.homes.watching([userId])).length > 0) await this.publish(userId);
      return;
    }
    for (const user of await this.homes.watchingAny()) {
      if (await this.roles.isManager(user).catch(() => false)) {
        await this.publish(user).catch((error: unknown) =>
          this.logger.warn(`home of ${user}: ${(error as Error).message}`),
        );
      }
    }
  }
}
