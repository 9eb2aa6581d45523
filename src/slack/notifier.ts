import type { WebClient } from '@slack/web-api';
import { MANAGERS, type Notification } from '../domain/notifications';
import type { DirectoryService } from '../services/directory-service';
import { criteriaOf, type MatchService } from '../services/match-service';
import type { RequestDetails, RequestService } from '../services/request-service';
import type { SlackMessage } from './blocks/kit';
import { nominationCard, nominatorDecided } from './blocks/nomination-messages';
import { ownerCancelled, ownerNudge, ownerNudgeClosed } from './blocks/owner-messages';
import {
  repApproved,
  repContactAgreed,
  repDenied,
  repOwnerCouldNot,
  repSubmitted,
} from './blocks/rep-messages';
import { type CardMatches, ownerAnswerNote, requestCard } from './blocks/request-card';
import { messageKey } from './ids';

export interface MessageRef {
  channel: string;
  ts: string;
}

/** Where refdesk remembers the messages it may update later (cards, nudges). */
export interface MessageRefs {
  get(key: string): Promise<MessageRef | null>;
  save(key: string, ref: MessageRef): Promise<void>;
}

/** Chat errors that mean "post it anew" when updating a message. */
const GONE = new Set(['message_not_found', 'cant_update_message', 'channel_not_found']);

/**
 * Turns one notification into one Slack call, reading the current state to render it.
 * Each call is made so that a retry after a failure cannot post the same card twice.
 */
export class SlackNotifier {
  constructor(
    private readonly client: WebClient,
    private readonly requests: RequestService,
    private readonly refs: MessageRefs,
    private readonly managersChannel: string,
    private readonly matches: MatchService,
    private readonly directory: DirectoryService,
  ) {}

  /** The top 3 and the preferred contact's fit, while managers still have to decide. */
  private async cardMatches(details: RequestDetails): Promise<CardMatches> {
    if (details.request.status !== 'submitted') return { top: null, preferred: null };
    const criteria = criteriaOf(details.request);
    const [top, preferred] = await Promise.all([
      this.matches.suggest(criteria, 3),
      details.preferred ? this.matches.assess(criteria, details.preferred.id) : null,
    ]);
    return { top, preferred };
  }

  async deliver(conversation: string, n: Notification): Promise<void> {
    const channel = conversation === MANAGERS ? this.managersChannel : conversation;
    switch (n.type) {
      case 'request_card': {
        const details = await this.requests.details(n.requestId);
        return this.upsert(
          messageKey.card(n.requestId),
          channel,
          requestCard(details, await this.cardMatches(details)),
        );
      }
      case 'card_thread_owner_answer': {
        const card = await this.refs.get(messageKey.card(n.requestId));
        const note = ownerAnswerNote(await this.requests.details(n.requestId, n.askId));
        await this.client.chat.postMessage({
          channel: card?.channel ?? channel,
          thread_ts: card?.ts,
          ...note,
        });
        return;
      }
      case 'rep_submitted':
        return this.post(channel, repSubmitted(await this.requests.details(n.requestId)));
      case 'rep_approved':
        return this.post(channel, repApproved(await this.requests.details(n.requestId, n.askId)));
      case 'rep_denied':
        return this.post(channel, repDenied(await this.requests.details(n.requestId)));
      case 'rep_owner_answer': {
        const details = await this.requests.details(n.requestId, n.askId);
        return this.post(
          channel,
          details.ask?.answer === 'agreed' ? repContactAgreed(details) : repOwnerCouldNot(details),
        );
      }
      case 'owner_nudge':
        return this.upsert(
          messageKey.nudge(n.askId),
          channel,
          ownerNudge(await this.requests.details(n.requestId, n.askId)),
        );
      case 'owner_nudge_closed': {
        const nudge = await this.refs.get(messageKey.nudge(n.askId));
        if (!nudge) return; // the nudge was never posted: nothing to close
        const message = ownerNudgeClosed(await this.requests.details(n.requestId, n.askId));
        await this.client.chat.update({ channel: nudge.channel, ts: nudge.ts, ...message });
        return;
      }
      case 'nomination_card': {
        const nomination = await this.directory.nomination(n.nominationId);
        return this.upsert(messageKey.nomination(n.nominationId), channel, nominationCard(nomination));
      }
      case 'nominator_decided':
        return this.post(channel, nominatorDecided(await this.directory.nomination(n.nominationId)));
      case 'owner_cancelled':
        return this.post(channel, ownerCancelled(await this.requests.details(n.requestId, n.askId)));
    }
  }

  private async post(channel: string, message: SlackMessage): Promise<void> {
    await this.client.chat.postMessage({ channel, ...message });
  }

  /** Updates the message remembered under `key`, or posts it (and remembers it) when there is none yet. */
  private async upsert(key: string, channel: string, message: SlackMessage): Promise<void> {
    const ref = await this.refs.get(key);
    if (ref) {
      try {
        await this.client.chat.update({ channel: ref.channel, ts: ref.ts, ...message });
        return;
      } catch (error) {
        if (!GONE.has((error as { data?: { error?: string } }).data?.error ?? '')) throw error;
      }
    }
    const posted = await this.client.chat.postMessage({ channel, ...message });
    if (posted.channel && posted.ts) await this.refs.save(key, { channel: posted.channel, ts: posted.ts });
  }
}
