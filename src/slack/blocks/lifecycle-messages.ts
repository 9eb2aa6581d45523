import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { formatDay } from '../../domain/dates.ts';
import { contactName, requestRef } from '../../domain/reference.ts';
import { LIMITS } from '../../domain/request-draft.ts';
import { activityLabel } from '../../domain/vocabulary.ts';
import type { RequestDetails } from '../../services/requests/index.ts';
import { ACTIONS, VIEWS } from '../ids.ts';
import { escapeText, formatAmount, mention } from '../mrkdwn.ts';
import { actions, button, context, input, LIMIT, option, plain, type SlackMessage, section } from './kit.ts';
import { ownerAnswerButtons } from './owner-messages.ts';
import { contactLine, requestLine } from './request-summary.ts';

export const requestValueSchema = z.object({ requestId: z.number().int().positive() });

export const OUTCOME_FIELDS = {
  rating: { block: 'rating', action: 'rating_select' },
  helped: { block: 'helped', action: 'helped_input' },
  movedDeal: { block: 'moved_deal', action: 'moved_deal_select' },
  whyNot: { block: 'why_not', action: 'why_not_input' },
  followupOn: { block: 'followup_on', action: 'followup_on_date' },
  result: { block: 'result', action: 'result_select' },
  amount: { block: 'amount', action: 'amount_input' },
} as const;

const who = (d: RequestDetails) => (d.contact ? escapeText(contactName(d.contact)) : 'the contact');
const message = (text: string): SlackMessage => ({ text, blocks: [section(text)] });

/** On the card's thread: the owner stayed silent through every reminder; managers can answer for them. */
export function escalationNote(d: RequestDetails, reminders: number): SlackMessage {
  const ownerId = d.ask?.ownerId ?? '';
  const text = `:rotating_light: ${mention(ownerId)} has not answered about ${who(d)} after ${reminders} reminder${reminders === 1 ? '' : 's'}. Nudge them, or answer for them:`;
  return { text, blocks: [section(text), ownerAnswerButtons(d.ask?.id ?? 0)] };
}

export function expiredNote(d: RequestDetails): SlackMessage {
  return message(
    `:hourglass: ${requestRef(d.request.id)} expired: it was needed by ${formatDay(d.request.neededBy)} and was still ${d.ask && !d.ask.answer ? `waiting on ${mention(d.ask.ownerId)}` : 'waiting for a decision'}.`,
  );
}

export function repExpired(d: RequestDetails): SlackMessage {
  return message(
    `:hourglass: ${requestLine(d)} expired: the needed-by date passed before a contact was secured. If you still need a reference, ask again with \`/reference\`.`,
  );
}

/** "Did it happen?": the day after the reference should have taken place. */
export function repFollowup(d: RequestDetails): SlackMessage {
  const value = { requestId: d.request.id };
  const text = `How did it go? ${who(d)} agreed to a *${activityLabel(d.request.activity)}* with *${escapeText(d.request.prospect)}* (${requestRef(d.request.id)}). Did it happen?`;
  return {
    text,
    blocks: [
      section(text),
      actions('followup', [
        button('Yes, it happened', ACTIONS.outcomeYes, value, 'primary'),
        button('No', ACTIONS.outcomeNo, value),
        button('Ask me later', ACTIONS.followupLater, value),
      ]),
    ],
  };
}

export function repOutcomeRecorded(d: RequestDetails): SlackMessage {
  const rating = d.outcome?.rating ? ` (rated ${d.outcome.rating}/5)` : '';
  const text = `Thanks, recorded${rating}: ${requestLine(d)}. When the deal is decided, record the result so the program can show what references are worth.`;
  return {
    text,
    blocks: [
      section(text),
      actions('deal', [button('Record deal result', ACTIONS.recordDeal, { requestId: d.request.id })]),
    ],
  };
}

export function ownerThank(d: RequestDetails): SlackMessage {
  const rating = d.outcome?.rating
    ? `, rated ${d.outcome.rating}/5 by ${mention(d.request.requesterId)}`
    : '';
  return message(
    `:pray: The ${activityLabel(d.request.activity).toLowerCase()} ${d.contact ? contactLine(d.contact) : who(d)} gave for *${escapeText(d.request.prospect)}* happened${rating}. Please thank ${who(d)} for their time.`,
  );
}

/** To the managers, once: a message refdesk owed somebody could not be delivered. */
export function deliveryFailedNote(
  failedType: string,
  error: string,
  requestId: number | null,
): SlackMessage {
  const about = requestId ? ` about ${requestRef(requestId)}` : '';
  return message(
    `:warning: I could not deliver a message (${escapeText(failedType)})${about} after several tries: \`${escapeText(error.slice(0, 300))}\`. Please check the app's access to that conversation.`,
  );
}

const modal = (
  callbackId: string,
  title: string,
  submit: string,
  requestId: number,
  blocks: ModalView['blocks'],
): ModalView => ({
  type: 'modal',
  callback_id: callbackId,
  title: plain(title, LIMIT.modalTitle),
  submit: plain(submit, LIMIT.modalTitle),
  close: plain('Cancel', LIMIT.modalTitle),
  private_metadata: JSON.stringify({ requestId }),
  blocks,
});

export function outcomeModal(d: RequestDetails): ModalView {
  const F = OUTCOME_FIELDS;
  const ratings = [5, 4, 3, 2, 1].map((n) => option(`${'★'.repeat(n)} ${n}`, String(n)));
  return modal(VIEWS.outcome, 'It happened', 'Save', d.request.id, [
    section(requestLine(d)),
    input(F.rating.block, 'How helpful was it?', {
      type: 'static_select',
      action_id: F.rating.action,
      options: ratings,
    }),
    input(
      F.helped.block,
      'What helped?',
      { type: 'plain_text_input', action_id: F.helped.action, multiline: true, max_length: LIMITS.reason },
      { optional: true },
    ),
    input(
      F.movedDeal.block,
      'Did it move the deal?',
      {
        type: 'static_select',
        action_id: F.movedDeal.action,
        options: [option('Yes', 'yes'), option('No', 'no'), option('Too early to say', 'too_early')],
      },
      { optional: true },
    ),
  ]);
}

export function notHeldModal(d: RequestDetails): ModalView {
  const F = OUTCOME_FIELDS;
  return modal(VIEWS.notHeld, 'It did not happen', 'Save', d.request.id, [
    section(requestLine(d)),
    input(F.whyNot.block, 'What happened instead?', {
      type: 'plain_text_input',
      action_id: F.whyNot.action,
      multiline: true,
      max_length: LIMITS.reason,
    }),
  ]);
}

export function followupDateModal(d: RequestDetails): ModalView {
  const F = OUTCOME_FIELDS;
  return modal(VIEWS.followupDate, 'Ask me later', 'Save', d.request.id, [
    section(requestLine(d)),
    input(F.followupOn.block, 'Ask me on', { type: 'datepicker', action_id: F.followupOn.action }),
    context('I will ask you "Did it happen?" that morning.'),
  ]);
}

export function dealModal(d: RequestDetails): ModalView {
  const F = OUTCOME_FIELDS;
  const amount = d.request.amount;
  return modal(VIEWS.deal, 'Deal result', 'Save', d.request.id, [
    section(`${requestLine(d)}${amount === null ? '' : `\nOpportunity amount: ${formatAmount(amount)}`}`),
    input(F.result.block, 'Result', {
      type: 'static_select',
      action_id: F.result.action,
      options: [option('Won', 'won'), option('Lost', 'lost')],
    }),
    input(
      F.amount.block,
      'Amount won',
      {
        type: 'number_input',
        action_id: F.amount.action,
        is_decimal_allowed: true,
        min_value: '0',
        ...(amount === null ? {} : { initial_value: String(amount) }),
      },
      { optional: true },
    ),
  ]);
}
