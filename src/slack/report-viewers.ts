import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { type ManagerRoles, usersOf } from './manager-roles.ts';

const TTL_MS = 60_000;

/**
 * Who may see the program report: the reference managers, and the users and user groups listed in
 * REPORT_VIEWERS (sales leaders, say). Group members are read from Slack and kept a minute.
 */
export class ReportViewers {
  private cache: { at: number; members: Promise<Set<string>> } | null = null;

  constructor(
    private readonly roles: ManagerRoles,
    private readonly client: WebClient,
    private readonly configured: readonly string[],
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async canView(userId: string): Promise<boolean> {
    if (this.configured.includes(userId)) return true;
    if (await this.roles.isManager(userId)) return true;
    return (await this.members()).has(userId);
  }

  private members(): Promise<Set<string>> {
    const at = this.now().getTime();
    if (this.cache && at - this.cache.at <= TTL_MS) return this.cache.members;
    const members = this.load();
    members.catch((error: unknown) => {
      this.logger.warn(`could not load the report viewers: ${(error as Error).message}`);
      if (this.cache?.members === members) this.cache = null;
    });
    this.cache = { at, members };
    return members;
  }

  private load(): Promise<Set<string>> {
    return usersOf(this.client, this.configured);
  }
}
