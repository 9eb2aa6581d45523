import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import { recipientOf } from '../domain/notifications.ts';
import { classify } from '../jobs/delivery-worker.ts';
import type { PostPacer } from '../jobs/post-pacer.ts';
import type { DirectoryService } from '../services/directory-service.ts';
import { criteriaOf, type MatchService } from '../services/match-service.ts';
import type { RecruitingService } from '../services/recruiting-service.ts';
import type { RequestDetails } from '../services/requests/index.ts';
import type { RequestQueries } from '../services/requests/request-queries.ts';
import type { Delivery, MessageRef, PostedMessage } from '../store/outbox-store.ts';
import type { SlackMessage } from './blocks/kit.ts';
import {
  deliveryFailedNote,
  escalationNote,
  expiredNote,
  ownerThank,
  repExpired,
  repFollowup,
  repOutcomeRecorded,
} from './blocks/lifecycle-messages.ts';
import { nominationCard, nominatorDecided } from './blocks/nomination-messages.ts';
import {
  ownerCancelled,
  ownerNudge,
  ownerNudgeClosed,
  ownerNudgeSuperseded,
} from './blocks/owner-messages.ts';
import { driveCard, driveThreadNote, ownerRecruitMessage } from './blocks/recruiting.ts';
import {
  repApproved,
  repContactAgreed,
  repDenied,
  repOwnerCouldNot,
  repSubmitted,
} from './blocks/rep-messages.ts';
import { type CardMatches, ownerAnswerNote, requestCard } from './blocks/request-card.ts';
import type { DigestPublisher } from './digest-publisher.ts';
import type { HomePublisher } from './home-publisher.ts';
import { messageKey } from './ids.ts';

/** Where refdesk remembers the messages it may update later (cards, nudges), and whom each card suggests. */
export interface MessageRefs {
  get(key: string): Promise<MessageRef | null>;
  /** The contacts a request's card now shows: a change that makes one ineligible refreshes the card. */
  /** `noneEligible`: the matcher found nobody for it (unmet demand, counted in the coverage gaps). */
  cardShows(requestId: number, contactIds: readonly number[], noneEligible?: boolean): Promise<void>;
}

/** The metadata event type of every message refdesk posts; its payload names the outbox delivery. */
const DELIVERY_EVENT = 'refdesk_delivery';

type Send = (args: ChatPostMessageArguments) => Promise<{ channel?: string; ts?: string }>;

/** Pages of a conversation's history a retry reads looking for its earlier post (200 messages each). */
const HISTORY_PAGES = 5;

/** Chat errors that mean "post it anew" when updating a message. */
const GONE = new Set(['message_not_found', 'cant_update_message', 'channel_not_found']);

/**
 * Turns one notification into one Slack call, reading the current state to render it.
 * Each call is made so that a retry after a failure cannot post the same card twice.
 */
export class SlackNotifier {
  constructor(
    private readonly slack: WebClient,
    private readonly requests: RequestQueries,
    private readonly refs: MessageRefs,
    private readonly managersChannel: string,
    private readonly matches: MatchService,
    private readonly directory: DirectoryService,
    private readonly homes: HomePublisher,
    private readonly maxReminders: number,
    private readonly pacer: PostPacer,
    private readonly digests: DigestPublisher,
    private readonly recruiting: RecruitingService,
  ) {}

  /** Each user's DM channel id, by user id. */
  private readonly dmIds = new Map<string, string>();

  /** The top 3 and the preferred contact's fit, while managers still have to decide. */
  private async cardMatches(details: RequestDetails): Promise<CardMatches> {
    const { request, preferred } = details;
    if (request.status !== 'submitted') {
      await this.refs.cardShows(request.id, []);
      return { top: null, preferred: null };
    }
    const { top, chosen } = await this.matches.suggestFor(criteriaOf(request), 3, preferred?.id ?? null);
    const shown = top.suggestions.map((s) => s.contact.id);
    await this.refs.cardShows(
      request.id,
      preferred ? [...shown, preferred.id] : shown,
      top.eligibleCount === 0,
    );
    return { top, preferred: chosen };
  }

  // biome-ignore lint/suspicious/noConfusingVoidType: most notifications post nothing to remember.
  async deliver(delivery: Delivery): Promise<PostedMessage | void> {
    const { conversation, notification: n } = delivery;
    const send = this.sender(delivery);
    const to = recipientOf(conversation);
    const channel = to === 'managers' ? this.managersChannel : to.user;
    const details = (requestId: number, askId?: number) => this.requests.details(requestId, askId);
    switch (n.type) {
      case 'request_card': {
        const d = await details(n.requestId);
        return this.upsert(
          send,
          messageKey.card(n.requestId),
          channel,
          requestCard(d, await this.cardMatches(d)),
        );
      }
      case 'card_thread_owner_answer':
        return this.thread(
          send,
          messageKey.card(n.requestId),
          channel,
          ownerAnswerNote(await details(n.requestId, n.askId)),
        );
      case 'card_thread_escalation': {
        const d = await details(n.requestId, n.askId);
        return this.thread(
          send,
          messageKey.card(n.requestId),
          channel,
          escalationNote(d, d.ask?.remindersSent ?? 0),
        );
      }
      case 'card_thread_expired':
        return this.thread(
          send,
          messageKey.card(n.requestId),
          channel,
          expiredNote(await details(n.requestId)),
        );
      case 'rep_submitted':
        return this.post(send, channel, repSubmitted(await details(n.requestId)));
      case 'rep_approved':
        return this.post(send, channel, repApproved(await details(n.requestId, n.askId)));
      case 'rep_denied':
        return this.post(send, channel, repDenied(await details(n.requestId)));
      case 'rep_owner_answer': {
        const d = await details(n.requestId, n.askId);
        return this.post(
          send,
          channel,
          d.ask?.answer === 'agreed' ? repContactAgreed(d) : repOwnerCouldNot(d),
        );
      }
      case 'rep_expired':
        return this.post(send, channel, repExpired(await details(n.requestId)));
      case 'rep_followup':
        return this.post(send, channel, repFollowup(await details(n.requestId)));
      case 'rep_outcome_recorded':
        return this.post(send, channel, repOutcomeRecorded(await details(n.requestId)));
      case 'owner_nudge':
        return this.upsert(
          send,
          messageKey.nudge(n.askId),
          channel,
          ownerNudge(await details(n.requestId, n.askId)),
        );
      case 'owner_reminder': {
        // A new message (so the owner is notified again), remembered as the one to close on an answer;
        // the one before it loses its buttons.
        const d = await details(n.requestId, n.askId);
        const key = messageKey.nudge(n.askId);
        await this.updateIfThere(key, ownerNudgeSuperseded(d));
        const reminder = { number: d.ask?.remindersSent ?? 1, of: this.maxReminders };
        return remember(key, await send({ channel, ...ownerNudge(d, reminder) }));
      }
      case 'owner_nudge_closed':
        await this.updateIfThere(
          messageKey.nudge(n.askId),
          ownerNudgeClosed(await details(n.requestId, n.askId)),
        );
        return;
      case 'owner_cancelled':
        return this.post(send, channel, ownerCancelled(await details(n.requestId, n.askId)));
      case 'owner_thank':
        return this.post(send, channel, ownerThank(await details(n.requestId)));
      case 'nomination_card': {
        const nomination = await this.directory.nomination(n.nominationId);
        return this.upsert(send, messageKey.nomination(n.nominationId), channel, nominationCard(nomination));
      }
      case 'nominator_decided':
        return this.post(send, channel, nominatorDecided(await this.directory.nomination(n.nominationId)));
      case 'delivery_failed':
        return this.post(send, channel, deliveryFailedNote(n.failedType, n.error, n.requestId));
      case 'home_refresh':
        return this.homes.refresh(this.slack, n.userId);
      case 'managers_home_refresh':
        return this.homes.refreshManagers(this.slack);
      case 'recruiting_drive':
        return this.upsert(
          send,
          messageKey.drive(n.driveId),
          channel,
          driveCard(await this.recruiting.view(n.driveId)),
        );
      case 'drive_thread_note': {
        const nomination = n.nominationId === null ? null : await this.directory.nomination(n.nominationId);
        return this.thread(
          send,
          messageKey.drive(n.driveId),
          channel,
          driveThreadNote(await this.recruiting.view(n.driveId), n.event, n.ownerId, nomination),
        );
      }
      case 'recruit_owner':
        // Posted when the drive starts; once the owner answered, the same message loses its buttons.
        return this.upsert(
          send,
          messageKey.recruit(n.driveId, channel),
          channel,
          ownerRecruitMessage(await this.recruiting.ownerView(channel, n.driveId)),
        );
      case 'weekly_digest':
        return this.post(send, channel, await this.digests.message(this.slack, n.sentOn));
      default: {
        const unknown: never = n;
        throw new Error(`no renderer for ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** A note in the thread of the card remembered under `key` (or in the channel, if it was never posted). */
  private async thread(send: Send, key: string, channel: string, message: SlackMessage): Promise<void> {
    const card = await this.refs.get(key);
    await send({
      channel: card?.channel ?? channel,
      thread_ts: card?.ts,
      ...message,
    });
  }

  private async post(send: Send, channel: string, message: SlackMessage): Promise<void> {
    await send({ channel, ...message });
  }

  /** Updates the message remembered under `key`; true when there was one to update (not deleted since). */
  private async updateIfThere(key: string, message: SlackMessage): Promise<boolean> {
    const ref = await this.refs.get(key);
    if (!ref) return false;
    try {
      await this.slack.chat.update({ channel: ref.channel, ts: ref.ts, ...message });
      return true;
    } catch (error) {
      if (GONE.has((error as { data?: { error?: string } }).data?.error ?? '')) return false;
      throw error;
    }
  }

  /** Updates the message remembered under `key`, or posts it (to be remembered) when there is none yet. */
  private async upsert(
    send: Send,
    key: string,
    channel: string,
    message: SlackMessage,
    // biome-ignore lint/suspicious/noConfusingVoidType: an update has nothing new to remember.
  ): Promise<PostedMessage | void> {
    if (await this.updateIfThere(key, message)) return;
    return remember(key, await send({ channel, ...message }));
  }

  /**
   * Posts for one delivery. Every post carries the delivery's id in its metadata; a retry first
   * looks for it in the conversation (a post can succeed at Slack and its answer still be lost),
   * and when it is there takes that message instead of posting a second one. Posts keep the
   * channel's pace (updates need not): a post that must wait throws `NotYet` before calling Slack.
   */
  private sender(delivery: Delivery): Send {
    const metadata = { event_type: DELIVERY_EVENT, event_payload: { delivery: delivery.id } };
    return async (args) => {
      // The slot first: a post that must wait costs no call (a look-up each time it was put back would
      // make a card waiting its turn fail attempts).
      this.pacer.take(args.channel);
      if (delivery.attempts > 0) {
        const earlier = await this.findPosted(args.channel, args.thread_ts, delivery);
        if (earlier) return earlier;
      }
      return this.slack.chat.postMessage({ ...args, metadata });
    };
  }

  /**
   * A DM is posted to the user's id; its history is read by the DM's own id, which never changes. It is
   * remembered so a retry makes one call to look, not two (under the chaos bench one call in five fails,
   * and each extra call made retries give up more often).
   */
  private async dmOf(user: string): Promise<string | undefined> {
    let id = this.dmIds.get(user);
    if (id === undefined) {
      id = (await this.slack.conversations.open({ users: user })).channel?.id;
      if (id) this.dmIds.set(user, id);
    }
    return id;
  }

  /**
   * The message a delivery already posted, if Slack's history shows it; null when not (or unreadable).
   * Reads only what was posted since the delivery was queued (a minute of clock skew allowed), page by page.
   */
  private async findPosted(
    channel: string,
    threadTs: string | undefined,
    delivery: Delivery,
  ): Promise<{ channel: string; ts: string } | null> {
    try {
      const id = /^[UW]/.test(channel) ? await this.dmOf(channel) : channel;
      if (!id) return null;
      const oldest = String(Math.floor(Date.parse(delivery.createdAt) / 1000) - 60);
      let cursor: string | undefined;
      for (let page = 0; page < HISTORY_PAGES; page++) {
        const common = { channel: id, oldest, include_all_metadata: true, limit: 200, cursor };
        const found = threadTs
          ? await this.slack.conversations.replies({ ...common, ts: threadTs })
          : await this.slack.conversations.history(common);
        const hit = found.messages?.find((m) => {
          const meta = m.metadata as
            | { event_type?: string; event_payload?: { delivery?: unknown } }
            | undefined;
          return meta?.event_type === DELIVERY_EVENT && meta.event_payload?.delivery === delivery.id;
        });
        if (hit?.ts) return { channel: id, ts: hit.ts };
        cursor = found.response_metadata?.next_cursor || undefined;
        if (!cursor) return null;
      }
      return null;
    } catch (error) {
      // Slack is having trouble: look again on the next attempt rather than risk a second post.
      if (classify(error).retry) throw error;
      // History cannot be read (a scope or membership is missing): post again, which risks one
      // duplicate rather than a lost message.
      return null;
    }
  }
}

/**
 * What to remember of a post. The worker records it in the same transaction that marks the delivery
 * sent, so a failed write cannot leave a posted card unknown to the retry that would post it again.
 */
function remember(key: string, posted: { channel?: string; ts?: string }): PostedMessage | undefined {
  return posted.channel && posted.ts ? { key, ref: { channel: posted.channel, ts: posted.ts } } : undefined;
}
