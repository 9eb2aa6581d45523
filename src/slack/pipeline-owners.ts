import type { Logger } from '@slack/bolt';
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Db } from '../store/database.ts';
import type { PipelineStore } from '../store/pipeline-store.ts';

/** How long an email Slack does not know is left alone before it is asked again. */
const UNKNOWN_FOR_MS = 24 * 60 * 60 * 1000;

type SlackError = { code?: string; retryAfter?: number; data?: { error?: string } };

/**
 * Gives imported opportunities whose owner is an email the rep's Slack id, with `users.lookupByEmail`
 * (scope `users:read.email`). One email at a time: the method is rate limited (Tier 3), so a pass stops
 * at the first 429 and the next pass, after Slack's Retry-After, goes on. An email Slack does not know
 * is not asked again for a day.
 */
export class PipelineOwners {
  /** Emails Slack answered users_not_found for, until when (ms) they are left alone. */
  private readonly unknownUntil = new Map<string, number>();
  /** After a 429: no call before this time (ms). */
  private pausedUntil = 0;

  constructor(
    private readonly db: Db,
    private readonly store: PipelineStore,
    private readonly client: WebClient,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** One pass over the owners still known only by email; returns how many were resolved or are unknown. */
  async resolve(): Promise<{ resolved: number; unknown: number }> {
    const counts = { resolved: 0, unknown: 0 };
    if (this.now().getTime() < this.pausedUntil) return counts;
    const emails = await this.store.unresolvedOwnerEmails(this.db);
    for (const email of emails) {
      const now = this.now().getTime();
      if ((this.unknownUntil.get(email) ?? 0) > now) continue;
      const answer = await this.lookUp(email, now);
      if (answer === 'stop') break;
      if (answer === null) {
        this.unknownUntil.set(email, now + UNKNOWN_FOR_MS);
        counts.unknown++;
        continue;
      }
      await this.store.setOwnerId(this.db, email, answer);
      counts.resolved++;
    }
    if (counts.resolved + counts.unknown > 0) {
      this.logger.info(
        `pipeline owners: ${counts.resolved} resolved by email, ${counts.unknown} not found in Slack`,
      );
    }
    return counts;
  }

  /** The user id of the email, null when Slack has nobody with it, 'stop' when the pass should end. */
  private async lookUp(email: string, now: number): Promise<string | null | 'stop'> {
    try {
      const answer = await this.client.users.lookupByEmail({ email });
      return answer.user?.id ?? null;
    } catch (error) {
      const e = error as SlackError;
      if (e.code === ErrorCode.PlatformError && e.data?.error === 'users_not_found') return null;
      if (e.code === ErrorCode.RateLimitedError) {
        this.pausedUntil = now + Math.max(1, e.retryAfter ?? 1) * 1000;
        this.logger.info(
          `pipeline owners: rate limited, next look-up in ${Math.max(1, e.retryAfter ?? 1)} s`,
        );
      } else {
        // missing_scope (no users:read.email), an outage...: the next pass tries again.
        this.logger.warn(`pipeline owners: could not look up an owner's email: ${(error as Error).message}`);
      }
      return 'stop';
    }
  }
}
