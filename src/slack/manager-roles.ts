import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';

const TTL_MS = 60_000;

/** The users among `ids` (U..., W...) and the members of the user groups among them (S...). */
export async function usersOf(client: WebClient, ids: readonly string[]): Promise<Set<string>> {
  const users = ids.filter((id) => !id.startsWith('S'));
  const groups = ids.filter((id) => id.startsWith('S'));
  const members = await Promise.all(
    groups.map(async (usergroup) => (await client.usergroups.users.list({ usergroup })).users ?? []),
  );
  return new Set([...users, ...members.flat()]);
}

/**
 * Who the reference managers are: the users and user groups in REFERENCE_MANAGERS when set,
 * otherwise the members of the managers' channel. Answers from a short cache so a click is
 * checked without waiting on Slack; membership events clear it.
 */
export class ManagerRoles {
  private cache: { at: number; members: Promise<Set<string>> } | null = null;
  private refreshing = false;

  constructor(
    private readonly client: WebClient,
    private readonly channel: string,
    private readonly configured: readonly string[],
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async isManager(userId: string): Promise<boolean> {
    return (await this.members()).has(userId);
  }

  /** Forget what we know, e.g. after someone joined or left the managers' channel. */
  invalidate(): void {
    this.cache = null;
  }

  get managersChannel(): string {
    return this.channel;
  }

  /** Loads the managers ahead of the first click; failures are logged and retried on demand. */
  warm(): void {
    this.members().catch(() => undefined);
  }

  /**
   * The cached set; once it is older than the TTL it is still used while a fresh one loads,
   * so only the very first check (or one after `invalidate`) waits on Slack.
   */
  private members(): Promise<Set<string>> {
    const at = this.now().getTime();
    if (!this.cache) return this.reload(at);
    if (at - this.cache.at > TTL_MS && !this.refreshing) {
      this.refreshing = true;
      const current = this.cache;
      const fresh = this.load();
      fresh
        .then(() => {
          if (this.cache === current) this.cache = { at, members: fresh };
        })
        .catch((error: unknown) =>
          this.logger.warn(`could not refresh the reference managers: ${(error as Error).message}`),
        )
        .finally(() => {
          this.refreshing = false;
        });
    }
    return this.cache.members;
  }

  private reload(at: number): Promise<Set<string>> {
    const members = this.load();
    members.catch((error: unknown) => {
      this.logger.warn(`could not load the reference managers: ${(error as Error).message}`);
      if (this.cache?.members === members) this.cache = null;
    });
    this.cache = { at, members };
    return members;
  }

  private async load(): Promise<Set<string>> {
    if (this.configured.length === 0) return new Set(await this.channelMembers());
    return usersOf(this.client, this.configured);
  }

  private async channelMembers(): Promise<string[]> {
    const members: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.client.conversations.members({ channel: this.channel, limit: 1000, cursor });
      members.push(...(page.members ?? []));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return members;
  }
}
