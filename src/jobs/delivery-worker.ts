import type { Logger } from '@slack/bolt';
import { ErrorCode } from '@slack/web-api';
import type { Db } from '../store/database.ts';
import type { Delivery, OutboxStore, PostedMessage } from '../store/outbox-store.ts';

export interface DeliveryPolicy {
  /** Attempts before a delivery is marked failed. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a claimed delivery stays reserved for the worker that claimed it. */
  leaseMs: number;
  /** How often to look for due deliveries when nobody kicked the worker. */
  pollMs: number;
  batchSize: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 2_000,
  maxDelayMs: 10 * 60_000,
  leaseMs: 60_000,
  pollMs: 1_000,
  batchSize: 20,
};

/** Attempts to record a sent message before the worker gives up on recording it (and logs it). */
const MARK_SENT_TRIES = 5;

/** Slack answers worth trying again later; anything else (invalid_blocks, channel_not_found...) will not heal. */
const RETRYABLE_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'timeout',
]);

type Verdict = { retry: false } | { retry: true; afterMs?: number };

export function classify(error: unknown): Verdict {
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return { retry: true, afterMs: Math.max(1, e.retryAfter ?? 1) * 1000 };
    case ErrorCode.PlatformError:
      return RETRYABLE_ERRORS.has(e.data?.error ?? '') ? { retry: true } : { retry: false };
    case ErrorCode.HTTPError:
      return (e.statusCode ?? 0) >= 500 || e.statusCode === 408 ? { retry: true } : { retry: false };
    default:
      // Network errors, timeouts and our own transient failures (a busy database).
      return { retry: true };
  }
}

export interface DeliveryWorkerDeps {
  db: Db;
  outbox: OutboxStore;
  /** Sends one delivery; what it posted is remembered when the delivery is marked sent. */
  // biome-ignore lint/suspicious/noConfusingVoidType: most deliveries post nothing to remember.
  deliver: (delivery: Delivery) => Promise<PostedMessage | void>;
  /** Called once when a delivery is given up on. */
  onGaveUp?: (delivery: Delivery, error: unknown) => Promise<void>;
  now: () => Date;
  logger: Logger;
  policy?: Partial<DeliveryPolicy>;
}

/**
 * Sends what the outbox holds. Retries with exponential backoff (or Slack's Retry-After),
 * one message at a time per conversation. All state is in the outbox rows, so a restart
 * picks up exactly where the last process stopped.
 */
export class DeliveryWorker {
  private readonly policy: DeliveryPolicy;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private kicked = false;
  private inFlight = 0;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.policy = { ...DEFAULT_DELIVERY_POLICY, ...deps.policy };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
  }

  /** Look for work now, e.g. right after a transaction queued something. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Processes due deliveries until none is left; returns how many were attempted. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runOnce();
      if (n === 0) return total;
      total += n;
    }
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.kicked = false;
      let attempted = 0;
      try {
        attempted = await this.runOnce();
      } catch (error) {
        this.deps.logger.error('delivery worker: could not read the outbox', error);
      }
      if (attempted === 0 && !this.kicked && this.running) await this.sleep(this.policy.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  async runOnce(): Promise<number> {
    const now = this.deps.now();
    const batch = await this.deps.outbox.claimDue(
      this.deps.db,
      now.toISOString(),
      new Date(now.getTime() + this.policy.leaseMs).toISOString(),
      this.policy.batchSize,
    );
    this.inFlight += batch.length;
    try {
      await Promise.all(batch.map((delivery) => this.attempt(delivery)));
    } finally {
      this.inFlight -= batch.length;
    }
    return batch.length;
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const { db, outbox, logger } = this.deps;
    let posted: PostedMessage | undefined;
    try {
      posted = (await this.deps.deliver(delivery)) ?? undefined;
    } catch (error) {
      await this.failed(delivery, error);
      return;
    }
    // Slack has the message: a failure to record that must never lead to sending it again.
    for (let tries = 1; ; tries++) {
      try {
        await outbox.markSent(db, delivery.id, this.deps.now().toISOString(), posted);
        return;
      } catch (error) {
        if (tries === MARK_SENT_TRIES) {
          logger.error(`delivery ${delivery.id} was sent but could not be recorded as sent`, error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * tries));
      }
    }
  }

  private async failed(delivery: Delivery, error: unknown): Promise<void> {
    const { db, outbox, logger } = this.deps;
    const verdict = classify(error);
    const attempts = delivery.attempts + 1;
    const reason = describe(error);
    if (verdict.retry && attempts < this.policy.maxAttempts) {
      const delay = verdict.afterMs ?? this.backoff(attempts);
      const at = new Date(this.deps.now().getTime() + delay).toISOString();
      logger.warn(
        `delivery ${delivery.id} (${delivery.notification.type}) failed, retrying at ${at}: ${reason}`,
      );
      await outbox.reschedule(db, delivery.id, at, reason);
      return;
    }
    logger.error(`delivery ${delivery.id} (${delivery.notification.type}) failed for good: ${reason}`);
    await outbox.markFailed(db, delivery.id, reason);
    await this.deps.onGaveUp?.(delivery, error).catch((e: unknown) => logger.error('onGaveUp failed', e));
  }

  /** 2s, 4s, 8s ... capped, with ±20% jitter so many failed messages do not retry in lockstep. */
  private backoff(attempts: number): number {
    const raw = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempts - 1));
    return Math.round(raw * (0.8 + Math.random() * 0.4));
  }
}

function describe(error: unknown): string {
  const e = error as { code?: string; data?: { error?: string }; message?: string };
  return [e.code, e.data?.error, e.message].filter(Boolean).join(': ').slice(0, 500);
}
