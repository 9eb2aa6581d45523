import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Team } from '../domain/report.ts';
import { Expiring } from '../expiring.ts';

/**
 * The workspace's teams for the program report: its Slack user groups with their members, read with
 * `usergroups.list` and kept five minutes. When Slack cannot tell (no `usergroups:read`, a free workspace,
 * an outage) there are no teams: the report then shows no team filter and ranks no teams.
 */
export class Teams {
  private readonly teams: Expiring<Team[]>;

  constructor(
    private readonly client: WebClient,
    logger: Logger,
    now: () => Date = () => new Date(),
  ) {
    // No teams is an answer too, kept as long: a workspace without user groups is not asked every time.
    this.teams = new Expiring(
      5 * 60_000,
      () =>
        this.load().catch((error: unknown) => {
          logger.warn(`could not read the user groups (teams): ${(error as Error).message}`);
          return [];
        }),
      now,
    );
  }

  list(): Promise<Team[]> {
    return this.teams.get();
  }

  private async load(): Promise<Team[]> {
    const { usergroups = [] } = await this.client.usergroups.list({ include_users: true });
    return usergroups
      .filter((g) => g.id && !g.date_delete)
      .map((g) => ({ id: g.id!, name: g.name || g.handle || g.id!, members: g.users ?? [] }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
