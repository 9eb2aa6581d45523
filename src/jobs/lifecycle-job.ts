import type { Logger } from '@slack/bolt';
import type { LifecycleService } from '../services/lifecycle-service.ts';

/**
 * Runs the lifecycle (reminders, escalations, expiry, follow-ups) and the rest of the periodic work every
 * `intervalMs`. The timer only decides when to look; what is due is decided by the rows, so a
 * restart loses nothing and sends nothing twice. With several replicas, each tick runs on the
 * one replica that claims it (`claimTick`).
 */
export class LifecycleJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly lifecycle: LifecycleService,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    /** The program's other periodic work (the weekly digest, housekeeping), on the same claimed tick. */
    private readonly alsoEachPass: () => Promise<void> = async () => undefined,
    private readonly claimTick: () => Promise<boolean> = async () => true,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  /** A timer's tick: runs a pass unless another replica has claimed this tick. */
  private async tick(): Promise<void> {
    try {
      if (!(await this.claimTick())) return;
    } catch (error) {
      this.logger.error('lifecycle: could not claim the tick', error);
      return;
    }
    await this.runNow();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass now, claimed or not (tests, operators); concurrent calls share it. */
  runNow(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    try {
      const run = await this.lifecycle.runDue();
      if (Object.values(run).some((n) => n > 0)) {
        this.logger.info(
          `lifecycle: ${run.reminded} reminded, ${run.escalated} escalated, ${run.expired} expired, ${run.followedUp} followed up, ${run.resumed} contacts back from a pause`,
        );
      }
      await this.alsoEachPass();
    } catch (error) {
      this.logger.error('lifecycle pass failed', error);
    }
  }
}
