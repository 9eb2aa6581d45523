import type { Db } from '../store/database.ts';
import type { EventStore } from '../store/event-store.ts';

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
}
