import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { Expiring } from '../expiring.ts';
import { type ManagerRoles, usersOf } from './manager-roles.ts';

/**
 * Who may see the program report: the reference managers, and the users and user groups listed in
 * REPORT_VIEWERS (sales leaders, say). Group members are read from Slack and kept a minute.
 */
export class ReportViewers {
  private readonly members: Expiring<Set<string>>;

  constructor(
    private readonly roles: ManagerRoles,
    client: WebClient,
    private readonly configured: readonly string[],
    logger: Logger,
    now: () => Date = () => new Date(),
  ) {
    this.members = new Expiring(
      60_000,
      () =>
        usersOf(client, configured).catch((error: unknown) => {
          logger.warn(`could not load the report viewers: ${(error as Error).message}`);
          throw error;
        }),
      now,
    );
  }

  async canView(userId: string): Promise<boolean> {
    if (this.configured.includes(userId)) return true;
    if (await this.roles.isManager(userId)) return true;
    return (await this.members.get()).has(userId);
  }
}
