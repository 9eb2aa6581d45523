import type { Logger } from '@slack/bolt';
import { ErrorCode } from '@slack/web-api';
import type { Db } from '../store/database.ts';
import type { Delivery, OutboxStore, PostedMessage } from '../store/outbox-store.ts';
import { NotYet } from './post-pacer.ts';

export interface DeliveryPolicy {
  /** Attempts before a delivery is marked failed. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a claim is reserved for its worker; renewed while the delivery is still being sent. */
  leaseMs: number;
  /** How often to look for due deliveries when nobody kicked the worker. */
  pollMs: number;
  /** Deliveries in flight at once; each one that ends makes room for the next. */
  concurrency: number;
}

// Retries start after a second and double, to ten minutes apart: a message is given up on after about
// 40 minutes of Slack failing it. Fewer attempts gave up on 2 of 1,500 messages in the chaos bench.
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 12,
  baseDelayMs: 1_000,
  maxDelayMs: 10 * 60_000,
  leaseMs: 15_000,
  pollMs: 1_000,
  concurrency: 12,
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
 * Sends what the outbox holds, a bounded number at a time: each delivery that ends makes room
 * for the next, so a slow or hung call holds up only its own conversation. Retries with
 * exponential backoff (or Slack's Retry-After), one message at a time per conversation. All
 * state is in the outbox rows, so a restart picks up exactly where the last process stopped.
 */
export class DeliveryWorker {
  private readonly policy: DeliveryPolicy;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private kicked = false;
  private readonly inFlight = new Map<number, Promise<void>>();
  /** Timers that look for work when deliveries put back are due, by due time (ms). */
  private readonly wakes = new Map<number, NodeJS.Timeout>();

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.policy = { ...DEFAULT_DELIVERY_POLICY, ...deps.policy };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming, and waits for the deliveries in flight. */
  async stop(): Promise<void> {
    this.running = false;
    for (const timer of this.wakes.values()) clearTimeout(timer);
    this.wakes.clear();
    this.kick();
    await this.loop;
    await Promise.allSettled(this.inFlight.values());
  }

  /** Look for work now, e.g. right after a transaction queued something. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** Claims what is due (as much as there is room for), sends it all and waits; returns how many. */
  async runOnce(): Promise<number> {
    const started = await this.fill();
    await Promise.allSettled([...this.inFlight.values()]);
    return started;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.kicked = false;
      try {
        await this.fill();
      } catch (error) {
        this.deps.logger.error('delivery worker: could not read the outbox', error);
      }
      // A claim takes all that is due, up to the free room: until a delivery ends, a change queues one or
      // one put back falls due (each kicks), there is nothing more to claim.
      if (!this.kicked && this.running) await this.sleep(this.policy.pollMs);
    }
  }

  /** Claims due deliveries up to the free room and starts sending each; returns how many started. */
  private async fill(): Promise<number> {
    const room = this.policy.concurrency - this.inFlight.size;
    if (room <= 0) return 0;
    const now = this.deps.now();
    const batch = await this.deps.outbox.claimDue(this.deps.db, now.toISOString(), this.policy.leaseMs, room);
    for (const delivery of batch) {
      const done = this.attempt(delivery).finally(() => {
        this.inFlight.delete(delivery.id);
        this.kick();
      });
      this.inFlight.set(delivery.id, done);
    }
    return batch.length;
  }

  /**
   * Looks for work again at `at`, when a delivery put back is due, instead of up to a poll later: a
   * channel's next posting slot is a second away, and a poll's lateness would halve the pace.
   */
  private wakeAt(at: Date): void {
    const key = at.getTime();
    if (this.wakes.has(key)) return;
    const arm = () => {
      const timer = setTimeout(
        () => {
          // Node times a timer from the event loop's cached clock, so under load it can fire before the
          // wall clock shows `at`, when the delivery is not due yet: look again then instead.
          if (this.deps.now().getTime() < key) return arm();
          this.wakes.delete(key);
          this.kick();
        },
        Math.max(1, key - this.deps.now().getTime()),
      );
      timer.unref();
      this.wakes.set(key, timer);
    };
    arm();
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

  private async attempt(delivery: Delivery): Promise<void> {
    const { db, outbox, logger } = this.deps;
    // Keep the claim while the delivery is under way, so no other worker sends it too.
    const renew = setInterval(
      () => void outbox.renewLease(db, delivery, this.policy.leaseMs).catch(() => undefined),
      this.policy.leaseMs / 3,
    );
    let posted: PostedMessage | undefined;
    try {
      posted = (await this.deps.deliver(delivery)) ?? undefined;
    } catch (error) {
      await this.failed(delivery, error).catch((e: unknown) =>
        logger.error(`delivery ${delivery.id}: could not record its failure`, e),
      );
      return;
    } finally {
      clearInterval(renew);
    }
    // Slack has the message: a failure to record that must never lead to sending it again.
    for (let tries = 1; ; tries++) {
      try {
        if (!(await outbox.markSent(db, delivery, this.deps.now().toISOString(), posted)))
          logger.warn(`delivery ${delivery.id} was sent, but another worker had claimed it meanwhile`);
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
    // Waiting for the channel's posting slot, or for Slack's Retry-After, is not a failed attempt:
    // Slack did nothing, and a message must not be given up on because Slack was busy.
    if (error instanceof NotYet) return this.putBack(delivery, error.until, null, false);
    const verdict = classify(error);
    const attempts = delivery.attempts + 1;
    const reason = describe(error);
    const after = (ms: number) => new Date(this.deps.now().getTime() + ms);
    if (verdict.retry && verdict.afterMs !== undefined) {
      const at = after(verdict.afterMs);
      logger.info(
        `delivery ${delivery.id} (${delivery.notification.type}): Slack asked to wait until ${at.toISOString()}`,
      );
      return this.putBack(delivery, at, reason, false);
    }
    if (verdict.retry && attempts < this.policy.maxAttempts) {
      const at = after(this.backoff(attempts));
      logger.warn(
        `delivery ${delivery.id} (${delivery.notification.type}) failed, retrying at ${at.toISOString()}: ${reason}`,
      );
      return this.putBack(delivery, at, reason, true);
    }
    logger.error(`delivery ${delivery.id} (${delivery.notification.type}) failed for good: ${reason}`);
    if (!(await outbox.markFailed(db, delivery, reason))) return;
    await this.deps.onGaveUp?.(delivery, error).catch((e: unknown) => logger.error('onGaveUp failed', e));
  }

  /** Puts the delivery back until `at` (a failed attempt or not) and looks for work again then. */
  private async putBack(delivery: Delivery, at: Date, reason: string | null, failedAttempt: boolean) {
    await this.deps.outbox.reschedule(this.deps.db, delivery, at.toISOString(), reason, failedAttempt);
    this.wakeAt(at);
  }

  /** 1s, 2s, 4s ... capped, with ±20% jitter so many failed messages do not retry in lockstep. */
  private backoff(attempts: number): number {
    const raw = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempts - 1));
    return Math.round(raw * (0.8 + Math.random() * 0.4));
  }
}

function describe(error: unknown): string {
  const e = error as { code?: string; data?: { error?: string }; message?: string };
  return [e.code, e.data?.error, e.message].filter(Boolean).join(': ').slice(0, 500);
}
