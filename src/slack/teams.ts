import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Team } from '../domain/report.ts';

const TTL_MS = 5 * 60_000;

/**
 * The workspace's teams for the program report: its Slack user groups with their members, read with
 * `usergroups.list` and kept five minutes. When Slack cannot tell (no `usergroups:read`, a free workspace,
 * an outage) there are no teams: the report then shows no team filter and ranks no teams.
 */
export class Teams {
  private cache: { at: number; teams: Promise<Team[]> } | null = null;

  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(): Promise<Team[]> {
    const at = this.now().getTime();
    if (this.cache && at - this.cache.at <= TTL_MS) return this.cache.teams;
    const teams = this.load().catch((error: unknown) => {
      this.logger.warn(`could not read the user groups (teams): ${(error as Error).message}`);
      return [];
    });
    this.cache = { at, teams };
    return teams;
  }

  private async load(): Promise<Team[]> {
    const { usergroups = [] } = await this.client.usergroups.list({ include_users: true });
    return usergroups
      .filter((g) => g.id && !g.date_delete)
      .map((g) => ({ id: g.id!, name: g.name || g.handle || g.id!, members: g.users ?? [] }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
