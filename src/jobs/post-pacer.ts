/**
 * Slack takes about one new message a second per channel (updates are rate-limited per method, not
 * per channel). The pacer hands out each channel's posting slots; a post whose slot is not due yet
 * is put back in the outbox until then, so it holds up no other channel.
 */
export class PostPacer {
  /** When each channel may get its next message (ms). */
  private readonly nextAt = new Map<string, number>();

  constructor(
    private readonly spacingMs: number,
    private readonly now: () => Date,
  ) {}

  /** Takes the channel's slot now; throws `NotYet` with the time of its next free slot when it is taken. */
  take(channel: string): void {
    const now = this.now().getTime();
    const at = this.nextAt.get(channel) ?? 0;
    if (at > now) throw new NotYet(new Date(at));
    this.nextAt.set(channel, now + this.spacingMs);
    if (this.nextAt.size > 10_000) this.forgetPast(now);
  }

  private forgetPast(now: number): void {
    for (const [channel, at] of this.nextAt) if (at <= now) this.nextAt.delete(channel);
  }
}

/** A delivery that must wait for its channel's next posting slot: not a failure, no attempt is counted. */
export class NotYet extends Error {
  constructor(readonly until: Date) {
    super(`the channel's next posting slot is at ${until.toISOString()}`);
    this.name = 'NotYet';
  }
}
