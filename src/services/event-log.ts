import { subDays } from 'date-fns';
import type { Db } from '../store/database.ts';
import type { EventStore } from '../store/event-store.ts';

const KEEP_DAYS = 2;

/** Remembers which Events API deliveries were handled, so a redelivery is handled once. */
export class EventLog {
  constructor(
    private readonly db: Db,
    private readonly events: EventStore,
    private readonly now: () => Date,
  ) {}

  /** True the first time an event id is seen; false for Slack's retries of it. */
  firstDelivery(eventId: string): Promise<boolean> {
    return this.events.claim(this.db, eventId, this.now().toISOString());
  }

  /** Slack retries within an hour; older ids are not needed. */
  async prune(): Promise<void> {
    await this.events.pruneBefore(this.db, subDays(this.now(), KEEP_DAYS).toISOString());
  }
}
