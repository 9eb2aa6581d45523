import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { HomeService } from '../services/home-service.ts';
import { homeView } from './blocks/home.ts';
import type { ManagerRoles } from './manager-roles.ts';
import type { ProgramSection } from './program-section.ts';

/**
 * Renders and publishes App Homes: for one user, or for every manager who looks at theirs. The
 * client is the caller's: Bolt's in a listener, the delivery worker's for an outbox refresh.
 */
export class HomePublisher {
  constructor(
    private readonly homes: HomeService,
    private readonly roles: ManagerRoles,
    private readonly windowDays: number,
    private readonly logger: Logger,
    private readonly program: ProgramSection | null = null,
  ) {}

  async publish(client: WebClient, userId: string): Promise<void> {
    const isManager = await this.roles.isManager(userId).catch(() => false);
    const data = await this.homes.build(userId, isManager);
    const program = isManager && this.program ? await this.program.blocks(client) : [];
    await client.views.publish({ user_id: userId, view: homeView(data, this.windowDays, program) });
  }

  /** Re-renders the Home of `userId`, if they look at it. */
  async refresh(client: WebClient, userId: string): Promise<void> {
    if ((await this.homes.watching([userId])).length > 0) await this.publish(client, userId);
  }

  /** Re-renders the Homes of the managers who look at theirs. */
  async refreshManagers(client: WebClient): Promise<void> {
    for (const user of await this.homes.watchingAny()) {
      if (await this.roles.isManager(user).catch(() => false)) {
        await this.publish(client, user).catch((error: unknown) =>
          this.logger.warn(`home of ${user}: ${(error as Error).message}`),
        );
      }
    }
  }
}
