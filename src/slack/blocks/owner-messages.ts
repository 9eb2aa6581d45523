import type { KnownBlock } from '@slack/types';
import { contactName, requestRef } from '../../domain/reference';
import { activityLabel } from '../../domain/vocabulary';
import type { RequestDetails } from '../../services/request-service';
import { ACTIONS, BLOCKS } from '../ids';
import { escapeText, mention, quote } from '../mrkdwn';
import { actions, button, context, type SlackMessage, section } from './kit';
import { answerLabel, contactLine, requestLine } from './request-summary';

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

/** The DM asking the account owner to secure the contact's agreement. */
export function ownerNudge(details: RequestDetails): SlackMessage {
  const { request, ask, contact } = details;
  const name = contact ? escapeText(contactName(contact)) : 'the contact';
  const value = { askId: ask?.id ?? 0 };
  return {
    text: `Can you ask ${name} to help with ${requestRef(request.id)} (${escapeText(request.prospect)})?`,
    blocks: [
      ...nudgeBody(details),
      section(`Please ask ${name} whether they agree, then tell me their answer:`),
      actions(BLOCKS.ownerAnswer, [
        button('They agreed', ACTIONS.ownerAgreed, value, 'primary'),
        button('They declined', ACTIONS.ownerDeclined, value),
        button("Can't ask now", ACTIONS.ownerCannotAsk, value),
      ]),
    ],
  };
}

/** The nudge once it needs no answer any more: the buttons are replaced by what happened. */
export function ownerNudgeClosed(details: RequestDetails): SlackMessage {
  const { request, ask } = details;
  const outcome = ask?.answer
    ? `:white_check_mark: ${mention(ask.answeredBy ?? ask.ownerId)} answered *${answerLabel(ask.answer)}*.`
    : `:heavy_multiplication_x: ${requestRef(request.id)} was cancelled by ${mention(request.requesterId)}; no need to ask.`;
  return { text: outcome, blocks: [...nudgeBody(details), context(outcome)] };
}

export function ownerCancelled(details: RequestDetails): SlackMessage {
  const { request, contact } = details;
  const name = contact ? escapeText(contactName(contact)) : 'the contact';
  const text = `${requestRef(request.id)} for *${escapeText(request.prospect)}* was cancelled by ${mention(request.requesterId)}: no need to ask ${name} any more. Thank you!`;
  return { text, blocks: [section(text)] };
}
