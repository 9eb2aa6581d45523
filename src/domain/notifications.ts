import { z } from 'zod';

/**
 * A message refdesk owes somebody because of a state change. Services record them in the
 * same transaction as the change; the delivery job renders and sends them later, in order
 * per recipient. They carry ids, not text: the renderer reads the current state.
 */
export const notificationSchema = z.discriminatedUnion('type', [
  /** Post the managers' card, or update it in place once posted. */
  z.object({ type: z.literal('request_card'), requestId: z.number().int() }),
  /** A note in the card's thread, e.g. the owner could not secure the contact. */
  z.object({
    type: z.literal('card_thread_owner_answer'),
    requestId: z.number().int(),
    askId: z.number().int(),
  }),
  z.object({ type: z.literal('rep_submitted'), requestId: z.number().int() }),
  z.object({ type: z.literal('rep_approved'), requestId: z.number().int(), askId: z.number().int() }),
  z.object({ type: z.literal('rep_denied'), requestId: z.number().int() }),
  z.object({ type: z.literal('rep_owner_answer'), requestId: z.number().int(), askId: z.number().int() }),
  /** The DM asking the account owner to secure the contact, with the answer buttons. */
  z.object({ type: z.literal('owner_nudge'), requestId: z.number().int(), askId: z.number().int() }),
  /** Replace the nudge's buttons with what happened (answered or cancelled). */
  z.object({ type: z.literal('owner_nudge_closed'), requestId: z.number().int(), askId: z.number().int() }),
  z.object({ type: z.literal('owner_cancelled'), requestId: z.number().int(), askId: z.number().int() }),
  /** A nomination's card in the managers' channel: posted with Accept / Decline, updated once decided. */
  z.object({ type: z.literal('nomination_card'), nominationId: z.number().int() }),
  /** Tells whoever nominated a contact what the managers decided. */
  z.object({ type: z.literal('nominator_decided'), nominationId: z.number().int() }),
  /** The owner has not answered: the nudge again, with "Remind me in 2 days". */
  z.object({ type: z.literal('owner_reminder'), requestId: z.number().int(), askId: z.number().int() }),
  /** After the reminders, the managers are told on the card's thread. */
  z.object({
    type: z.literal('card_thread_escalation'),
    requestId: z.number().int(),
    askId: z.number().int(),
  }),
  z.object({ type: z.literal('card_thread_expired'), requestId: z.number().int() }),
  z.object({ type: z.literal('rep_expired'), requestId: z.number().int() }),
  /** "Did it happen?", the business day after needed-by (or the day the rep chose). */
  z.object({ type: z.literal('rep_followup'), requestId: z.number().int() }),
  z.object({ type: z.literal('rep_outcome_recorded'), requestId: z.number().int() }),
  /** After a reference happened: the owner is asked to thank the customer contact. */
  z.object({ type: z.literal('owner_thank'), requestId: z.number().int() }),
  /** A message could not be delivered after every retry; the managers are told once. */
  z.object({
    type: z.literal('delivery_failed'),
    deliveryId: z.number().int(),
    failedType: z.string(),
    requestId: z.number().int().nullable(),
    error: z.string(),
  }),
  /** Re-render someone's App Home because something of theirs changed. */
  z.object({ type: z.literal('home_refresh'), userId: z.string() }),
  /** Re-render the Homes of the managers who look at theirs: the queue changed. */
  z.object({ type: z.literal('managers_home_refresh') }),
  /** A recruiting drive's card in the managers' channel: posted when it starts, updated as owners answer. */
  z.object({ type: z.literal('recruiting_drive'), driveId: z.number().int() }),
  /**
   * A note in a drive card's thread: an owner said no one fits or nominated someone, or the managers decided
   * one of its nominations; with the drive's figures as they are when it goes out.
   */
  z.object({
    type: z.literal('drive_thread_note'),
    driveId: z.number().int(),
    event: z.enum(['no_one_fits', 'nominated', 'accepted', 'declined']),
    ownerId: z.string(),
    nominationId: z.number().int().nullable(),
  }),
  /** The DM asking an account owner to nominate a contact for a drive; updated once they answered. */
  z.object({ type: z.literal('recruit_owner'), driveId: z.number().int() }),
  /** The weekly digest in the managers' channel; `sentOn` (YYYY-MM-DD) names its week. */
  z.object({ type: z.literal('weekly_digest'), sentOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
]);
export type Notification = z.infer<typeof notificationSchema>;

export type DriveNoteEvent = Extract<Notification, { type: 'drive_thread_note' }>['event'];

/** Who a notification goes to: a Slack user (their DM with refdesk) or the managers' channel. */
export type Recipient = { user: string } | 'managers';

export interface OutgoingNotification {
  to: Recipient;
  notification: Notification;
}

/**
 * What a drive owes the managers when an owner answers it or one of its nominations is decided: its card
 * updated, and a note in the card's thread. `ownerId` is the owner who answered or nominated.
 */
export const driveNews = (
  driveId: number,
  event: DriveNoteEvent,
  ownerId: string,
  nominationId: number | null = null,
): OutgoingNotification[] => [
  { to: 'managers', notification: { type: 'recruiting_drive', driveId } },
  { to: 'managers', notification: { type: 'drive_thread_note', driveId, event, ownerId, nominationId } },
];

export const MANAGERS = 'managers';
const HOME = 'home:';
const MANAGERS_HOMES = 'homes:managers';

/**
 * The queue a notification waits in. Messages of one queue go out in order, queues are
 * independent: a card in backoff holds up only its own request's thread notes, not the whole
 * channel, and a slow Home refresh holds up no DM.
 */
export function conversationKey(to: Recipient, n: Notification): string {
  if (n.type === 'home_refresh') return `${HOME}${n.userId}`;
  if (n.type === 'managers_home_refresh') return MANAGERS_HOMES;
  if (to !== 'managers') return to.user;
  if (n.type === 'delivery_failed') return MANAGERS;
  if (n.type === 'weekly_digest') return `${MANAGERS}:digest`;
  if ('requestId' in n) return `${MANAGERS}:request:${n.requestId}`;
  if ('nominationId' in n) return `${MANAGERS}:nomination:${n.nominationId}`;
  if ('driveId' in n) return `${MANAGERS}:drive:${n.driveId}`;
  return MANAGERS;
}

/** Where a queue's messages go: the managers' channel or a user's DM (for a Home: that user). */
export function recipientOf(key: string): Recipient {
  if (key === MANAGERS || key === MANAGERS_HOMES || key.startsWith(`${MANAGERS}:`)) return 'managers';
  return { user: key.startsWith(HOME) ? key.slice(HOME.length) : key };
}

export const homeKey = (userId: string): string => `${HOME}${userId}`;
