import type { KnownBlock } from '@slack/types';
import { contactName, requestRef } from '../../domain/reference.ts';
import { activityLabel } from '../../domain/vocabulary.ts';
import type { RequestDetails } from '../../services/requests/index.ts';
import { ACTIONS, BLOCKS } from '../ids.ts';
import { escapeText, mention, quote } from '../mrkdwn.ts';
import { actions, button, context, type SlackMessage, section } from './kit.ts';
import { answerLabel, contactLine, requestLine } from './request-summary.ts';

function nudgeBody(details: RequestDetails): KnownBlock[] {
  const { request, ask, contact } = details;
  const who = contact ? contactLine(contact) : 'a contact';
  const blocks: KnownBlock[] = [
    section(
      `${mention(request.requesterId)} needs ${who} for a *${activityLabel(request.activity)}* with *${escapeText(request.prospect)}*.\n${requestLine(details)}`,
    ),
    section(`*What they should speak to*\n${quote(request.context)}`),
  ];
  if (ask?.note) blocks.push(section(`*Note from ${mention(ask.approvedBy)}*\n${quote(ask.note)}`));
  return blocks;
}

/** The owner's answer buttons, wherever an owner (or a manager) can answer: nudge, reminder, Home, thread. */
export function ownerAnswerButtons(askId: number, opts: { snooze?: boolean } = {}) {
  const value = { askId };
  const buttons = [
    button('They agreed', ACTIONS.ownerAgreed, value, 'primary'),
    button('They declined', ACTIONS.ownerDeclined, value),
    button("Can't ask now", ACTIONS.ownerCannotAsk, value),
  ];
  if (opts.snooze) buttons.push(button('Remind me in 2 days', ACTIONS.snoozeReminder, value));
  return actions(BLOCKS.ownerAnswer, buttons);
}

/** The DM asking the account owner to secure the contact's agreement; a reminder says which one it is. */
export function ownerNudge(details: RequestDetails, reminder?: { number: number; of: number }): SlackMessage {
  const { request, ask, contact } = details;
  const name = contact ? escapeText(contactName(contact)) : 'the contact';
  const ref = requestRef(request.id);
  const prefix = reminder ? `:bell: *Reminder ${reminder.number} of ${reminder.of}:* ` : '';
  return {
    text: `${reminder ? 'Reminder: ' : ''}Can you ask ${name} to help with ${ref} (${escapeText(request.prospect)})?`,
    blocks: [
      ...(reminder
        ? [section(`${prefix}${mention(request.requesterId)} is still waiting for your answer.`)]
        : []),
      ...nudgeBody(details),
      section(`Please ask ${name} whether they agree, then tell me their answer:`),
      ownerAnswerButtons(ask?.id ?? 0, { snooze: Boolean(reminder) }),
    ],
  };
}

/** The nudge once it needs no answer any more: the buttons are replaced by what happened. */
export function ownerNudgeClosed(details: RequestDetails): SlackMessage {
  const { request, ask } = details;
  const outcome = ask?.answer
    ? `:white_check_mark: ${mention(ask.answeredBy ?? ask.ownerId)} answered *${answerLabel(ask.answer)}*.`
    : request.status === 'expired'
      ? `:hourglass: ${requestRef(request.id)} expired: the needed-by date passed; no need to ask.`
      : `:heavy_multiplication_x: ${requestRef(request.id)} was cancelled by ${mention(request.requesterId)}; no need to ask.`;
  return { text: outcome, blocks: [...nudgeBody(details), context(outcome)] };
}

/** An earlier nudge once a reminder is posted below it: its buttons go, so only the newest can be answered. */
export function ownerNudgeSuperseded(details: RequestDetails): SlackMessage {
  const note = ':bell: A reminder below replaces this message: please answer there.';
  return { text: note, blocks: [...nudgeBody(details), context(note)] };
}

export function ownerCancelled(details: RequestDetails): SlackMessage {
  const { request, contact } = details;
  const name = contact ? escapeText(contactName(contact)) : 'the contact';
  const text = `${requestRef(request.id)} for *${escapeText(request.prospect)}* was cancelled by ${mention(request.requesterId)}: no need to ask ${name} any more. Thank you!`;
  return { text, blocks: [section(text)] };
}
