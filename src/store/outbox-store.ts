import {
  conversationKey,
  type Notification,
  notificationSchema,
  type OutgoingNotification,
} from '../domain/notifications.ts';
import type { Db } from './database.ts';

const OUTBOX = 'outbox';
const REFS = 'message_refs';

export interface Delivery {
  id: number;
  conversation: string;
  notification: Notification;
  attempts: number;
}

interface OutboxRow {
  id: number;
  conversation: string;
  notification: string;
  attempts: number;
}

export interface MessageRef {
  channel: string;
  ts: string;
}

/** A message a delivery posted, to be remembered under `key` (a card, a nudge) for later updates. */
export interface PostedMessage {
  key: string;
  ref: MessageRef;
}

/** The transactional outbox: notifications written with the state change, claimed and sent by a worker. */
export class OutboxStore {
  async enqueue(db: Db, items: readonly OutgoingNotification[], at: string): Promise<void> {
    if (items.length === 0) return;
    await db(OUTBOX).insert(
      items.map((item) => ({
        conversation: conversationKey(item.to, item.notification),
        notification: JSON.stringify(item.notification),
        kind: item.notification.type,
        status: 'pending',
        attempts: 0,
        next_attempt_at: at,
        created_at: at,
      })),
    );
  }

  /**
   * Claims up to `limit` due deliveries, at most one per conversation and only the oldest
   * pending one of each, so messages to one person arrive in order. The claim is a lease:
   * a worker that dies leaves the row to be claimed again once `leaseUntil` passes.
   */
  async claimDue(db: Db, now: string, leaseUntil: string, limit: number): Promise<Delivery[]> {
    const heads = (await db(`${OUTBOX} as o`)
      .where('o.status', 'pending')
      .whereNotExists((q) =>
        q
          .select(db.raw('1'))
          .from(`${OUTBOX} as earlier`)
          .whereRaw('earlier.conversation = o.conversation')
          .where('earlier.status', 'pending')
          .whereRaw('earlier.id < o.id'),
      )
      .where('o.next_attempt_at', '<=', now)
      .where((q) => q.whereNull('o.locked_until').orWhere('o.locked_until', '<', now))
      .orderBy('o.id')
      .limit(limit)
      .select('o.id', 'o.conversation', 'o.notification', 'o.attempts')) as OutboxRow[];
    const claimed: Delivery[] = [];
    for (const row of heads) {
      const won = await db(OUTBOX)
        .where({ id: row.id, status: 'pending' })
        .where((q) => q.whereNull('locked_until').orWhere('locked_until', '<', now))
        .update({ locked_until: leaseUntil });
      if (won !== 1) continue;
      const parsed = notificationSchema.safeParse(JSON.parse(row.notification));
      if (!parsed.success) {
        await this.markFailed(db, row.id, `unreadable notification: ${parsed.error.message}`);
        continue;
      }
      claimed.push({
        id: row.id,
        conversation: row.conversation,
        notification: parsed.data,
        attempts: row.attempts,
      });
    }
    return claimed;
  }

  /** Marks a delivery sent and remembers what it posted, in one transaction. */
  async markSent(db: Db, id: number, at: string, posted?: PostedMessage): Promise<void> {
    await db.transaction(async (trx) => {
      if (posted) await this.saveRef(trx, posted.key, posted.ref, at);
      await trx(OUTBOX)
        .where({ id })
        .update({ status: 'sent', sent_at: at, locked_until: null, attempts: trx.raw('attempts + 1') });
    });
  }

  async reschedule(db: Db, id: number, nextAttemptAt: string, error: string): Promise<void> {
    await db(OUTBOX)
      .where({ id })
      .update({
        next_attempt_at: nextAttemptAt,
        last_error: error,
        locked_until: null,
        attempts: db.raw('attempts + 1'),
      });
  }

  async markFailed(db: Db, id: number, error: string): Promise<void> {
    await db(OUTBOX)
      .where({ id })
      .update({ status: 'failed', last_error: error, locked_until: null, attempts: db.raw('attempts + 1') });
  }

  /** When the next pending delivery is due, so the worker can sleep until then. */
  async nextDueAt(db: Db): Promise<string | null> {
    const row = (await db(OUTBOX).where({ status: 'pending' }).min({ at: 'next_attempt_at' }).first()) as
      | { at: string | null }
      | undefined;
    return row?.at ?? null;
  }

  async getRef(db: Db, key: string): Promise<MessageRef | null> {
    const row = (await db(REFS).where({ key }).first()) as MessageRef | undefined;
    return row ? { channel: row.channel, ts: row.ts } : null;
  }

  async saveRef(db: Db, key: string, ref: MessageRef, at: string): Promise<void> {
    await db(REFS)
      .insert({ key, channel: ref.channel, ts: ref.ts, updated_at: at })
      .onConflict('key')
      .merge(['channel', 'ts', 'updated_at']);
  }

  /**
   * Conversations among `keys` that already have a notification of this kind waiting and not yet
   * claimed (one being sent may render the state from before the change at hand).
   */
  async pendingOfKind(
    db: Db,
    kind: Notification['type'],
    keys: readonly string[],
    now: string,
  ): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows = (await db(OUTBOX)
      .where({ status: 'pending', kind })
      .where((q) => q.whereNull('locked_until').orWhere('locked_until', '<', now))
      .whereIn('conversation', [...keys])
      .distinct('conversation')) as { conversation: string }[];
    return rows.map((r) => r.conversation);
  }
}
