import { subDays } from 'date-fns';
import { type Db, refreshStatistics } from '../store/database.ts';
import type { EventStore } from '../store/event-store.ts';
import type { OutboxStore } from '../store/outbox-store.ts';

export interface HousekeepingDeps {
  db: Db;
  outbox: OutboxStore;
  events: EventStore;
  /** Sent messages and handled event ids older than this many days go. */
  retentionDays: number;
  now: () => Date;
}

export interface HousekeepingRun {
  sentMessages: number;
  eventIds: number;
}

/** What a long-running database needs: pruning, a small batch per statement, and fresh planner statistics. */
export class Housekeeping {
  constructor(private readonly deps: HousekeepingDeps) {}

  async run(): Promise<HousekeepingRun> {
    const { db, outbox, events } = this.deps;
    const before = subDays(this.deps.now(), this.deps.retentionDays).toISOString();
    const pruned = {
      sentMessages: await outbox.pruneSent(db, before),
      eventIds: await events.pruneBefore(db, before),
    };
    await refreshStatistics(db);
    return pruned;
  }
}
