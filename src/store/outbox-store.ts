import { randomUUID } from 'node:crypto';
import {
  conversationKey,
  type Notification,
  notificationSchema,
  type OutgoingNotification,
} from '../domain/notifications.ts';
import { type Db, dbClock, deleteInBatches, isPostgres } from './database.ts';

const OUTBOX = 'outbox';

/** Which delivery, and the token of the claim on it. */
export type Claim = Pick<Delivery, 'id' | 'token'>;

/** The row of a pending delivery, if the claim on it is still this one. */
const claimed = (db: Db, { id, token }: Claim) =>
  db(OUTBOX).where({ id, claim_token: token, status: 'pending' });
const REFS = 'message_refs';

export interface Delivery {
  id: number;
  conversation: string;
  notification: Notification;
  attempts: number;
  /** When it was queued (ISO): nothing it posted can be older. */
  createdAt: string;
  /** This claim's token: only its holder may mark, reschedule or fail the delivery. */
  token: string;
}

interface OutboxRow {
  id: number;
  conversation: string;
  notification: string;
  attempts: number;
  created_at: string;
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
   * pending one of each, so messages to one person arrive in order. The claim is a lease on the
   * database's clock (replicas' clocks may differ): a worker that dies leaves the row to be
   * claimed again once it passes, and that lapsed claim counts as an attempt (its post may have
   * reached Slack: the next attempt looks before posting again). On PostgreSQL, rows another replica is claiming are skipped
   * (FOR UPDATE SKIP LOCKED) instead of waited for; SQLite has one writer at a time anyway.
   */
  async claimDue(db: Db, now: string, leaseMs: number, limit: number): Promise<Delivery[]> {
    const pg = isPostgres(db);
    const clock = dbClock(db);
    const token = randomUUID();
    const free = `(locked_until is null or locked_until < ${clock})`;
    // A CTE, so PostgreSQL locks the heads once: as an IN (...) subquery it re-ran it and claimed past the limit.
    const result = await db.raw(
      `with heads as (
         select o.id from ${OUTBOX} o
         where o.status = 'pending' and o.next_attempt_at <= ? and ${free.replaceAll('locked_until', 'o.locked_until')}
           and not exists (
             select 1 from ${OUTBOX} earlier
             where earlier.conversation = o.conversation and earlier.status = 'pending' and earlier.id < o.id)
         order by o.id limit ?${pg ? ' for update of o skip locked' : ''})
       update ${OUTBOX} set locked_until = ${dbClock(db, leaseMs)}, claim_token = ?,
         attempts = attempts + (case when claim_token is null then 0 else 1 end)
       where id in (select id from heads) and status = 'pending' and ${free}
       returning id, conversation, notification, attempts, created_at`,
      [now, limit, token],
    );
    const rows = ((pg ? result.rows : result) as OutboxRow[]).sort((a, b) => a.id - b.id);
    const claimed: Delivery[] = [];
    for (const row of rows) {
      const parsed = notificationSchema.safeParse(JSON.parse(row.notification));
      if (!parsed.success) {
        await this.markFailed(db, { id: row.id, token }, `unreadable notification: ${parsed.error.message}`);
        continue;
      }
      claimed.push({
        id: row.id,
        conversation: row.conversation,
        notification: parsed.data,
        attempts: row.attempts,
        createdAt: row.created_at,
        token,
      });
    }
    return claimed;
  }

  /**
   * Marks a delivery sent and remembers what it posted, in one transaction; false (and nothing
   * written) when the claim is no longer this worker's.
   */
  async markSent(db: Db, claim: Claim, at: string, posted?: PostedMessage): Promise<boolean> {
    return db.transaction(async (trx) => {
      const held = await claimed(trx, claim).update({
        status: 'sent',
        sent_at: at,
        locked_until: null,
        claim_token: null,
        attempts: trx.raw('attempts + 1'),
      });
      if (held === 1 && posted) await this.saveRef(trx, posted.key, posted.ref, at);
      return held === 1;
    });
  }

  /** Tries again at `nextAttemptAt`; `counts` false for a wait that was no attempt (pacing). */
  async reschedule(
    db: Db,
    claim: Claim,
    nextAttemptAt: string,
    error: string | null,
    counts = true,
  ): Promise<boolean> {
    const held = await claimed(db, claim).update({
      next_attempt_at: nextAttemptAt,
      ...(error === null ? {} : { last_error: error }),
      locked_until: null,
      claim_token: null,
      attempts: db.raw(counts ? 'attempts + 1' : 'attempts'),
    });
    return held === 1;
  }

  async markFailed(db: Db, claim: Claim, error: string): Promise<boolean> {
    const held = await claimed(db, claim).update({
      status: 'failed',
      last_error: error,
      locked_until: null,
      claim_token: null,
      attempts: db.raw('attempts + 1'),
    });
    return held === 1;
  }

  /** Extends the lease of a delivery still being sent; false when the claim is no longer ours. */
  async renewLease(db: Db, claim: Claim, leaseMs: number): Promise<boolean> {
    return (await claimed(db, claim).update({ locked_until: db.raw(dbClock(db, leaseMs)) })) === 1;
  }

  /**
   * Deletes deliveries sent before `before`, `batch` rows a statement so no statement holds many
   * locks for long; returns how many went.
   */
  async pruneSent(db: Db, before: string, batch = 500): Promise<number> {
    return deleteInBatches(
      db,
      OUTBOX,
      'id',
      (q) => q.where({ status: 'sent' }).where('sent_at', '<', before),
      batch,
    );
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
  async pendingOfKind(db: Db, kind: Notification['type'], keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows = (await db(OUTBOX)
      .where({ status: 'pending', kind })
      .where((q) => q.whereNull('locked_until').orWhereRaw(`locked_until < ${dbClock(db)}`))
      .whereIn('conversation', [...keys])
      .distinct('conversation')) as { conversation: string }[];
    return rows.map((r) => r.conversation);
  }
}
