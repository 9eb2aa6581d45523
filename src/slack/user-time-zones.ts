import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../store/database.ts';
import type { UserStore } from '../store/user-store.ts';

const REFRESH_AFTER_MS = 24 * 60 * 60 * 1000;

/** Users' time zones from `users.info`, kept in the database so reading one never waits on Slack. */
export class UserTimeZones {
  /** Users whose stored zone is fresh until this time (ms), so a refresh costs no query at all. */
  private readonly freshUntil = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly users: UserStore,
    private readonly client: WebClient,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {}

  /** The time zone we know for a user, or null; never calls Slack. */
  async known(userId: string): Promise<string | null> {
    return (await this.users.get(this.db, userId))?.tz ?? null;
  }

  /**
   * Several users' time zones in one read, each fetched first when we have none or it is a day old (a failed
   * fetch is tried again next time).
   */
  async zonesOf(userIds: readonly string[]): Promise<Map<string, string | null>> {
    const ids = [...new Set(userIds)];
    // Fresh zones cost no query here (freshUntil), so this is one read in the usual case.
    for (const id of ids) await this.refresh(id);
    return this.users.zonesOf(this.db, ids);
  }

  /** Fetches the user's time zone when we have none or it is a day old; errors are logged, not thrown. */
  async refresh(userId: string): Promise<void> {
    const now = this.now();
    if ((this.freshUntil.get(userId) ?? 0) > now.getTime()) return;
    try {
      const cached = await this.users.get(this.db, userId);
      if (cached && now.getTime() - Date.parse(cached.fetchedAt) < REFRESH_AFTER_MS) {
        this.freshUntil.set(userId, Date.parse(cached.fetchedAt) + REFRESH_AFTER_MS);
        return;
      }
      const info = await this.client.users.info({ user: userId });
      await this.users.save(this.db, userId, info.user?.tz || null, now.toISOString());
      this.freshUntil.set(userId, now.getTime() + REFRESH_AFTER_MS);
    } catch (error) {
      this.logger.warn(`could not read the time zone of ${userId}: ${(error as Error).message}`);
    }
  }
}
