import { formatDay } from '../../domain/dates.ts';
import { contactName, requestRef } from '../../domain/reference.ts';
import { activityLabel } from '../../domain/vocabulary.ts';
import type { RequestDetails } from '../../services/requests/index.ts';
import { COMMAND } from '../ids.ts';
import { escapeText, mention, quote } from '../mrkdwn.ts';
import { context, fields, type SlackMessage, section } from './kit.ts';
import { answerLabel, contactLine, requestLine } from './request-summary.ts';

const message = (text: string, ...more: string[]): SlackMessage => ({
  text,
  blocks: [section(text), ...(more.length ? [context(...more)] : [])],
});

export function repSubmitted(details: RequestDetails): SlackMessage {
  return message(
    `Your ask is in: ${requestLine(details)}. A reference manager will review it and I'll keep you posted here.`,
    `\`${COMMAND} status\` lists your asks · \`${COMMAND} cancel ${requestRef(details.request.id)}\` withdraws this one`,
  );
}

export function repApproved(details: RequestDetails): SlackMessage {
  const { ask, contact } = details;
  const who = contact ? contactLine(contact) : 'a contact';
  return message(
    `${requestLine(details)} was approved by ${mention(ask?.approvedBy ?? '')}: ${who}. ${mention(ask?.ownerId ?? '')}, the account owner, is now asking them; I'll tell you their answer.`,
  );
}

export function repDenied(details: RequestDetails): SlackMessage {
  const { request } = details;
  const text = `${requestLine(details)} was denied by ${mention(request.closedBy ?? '')}.`;
  return {
    text,
    blocks: [section(`${text}\n*Reason:*\n${quote(request.closeReason ?? '')}`)],
  };
}

/** Agreed: the only message that carries the contact's email. */
export function repContactAgreed(details: RequestDetails): SlackMessage {
  const { request, ask, contact } = details;
  if (!contact || !ask) return message(`${requestLine(details)}: the contact agreed.`);
  const name = escapeText(contactName(contact));
  const brief = [
    `*What was agreed:* ${activityLabel(request.activity)} with *${escapeText(request.prospect)}* by ${formatDay(request.neededBy)}.`,
    `*They will speak to:*\n${quote(request.context)}`,
    ...(ask.note ? [`*Note from the reference manager:*\n${quote(ask.note)}`] : []),
  ];
  return {
    text: `${name} agreed to help with ${requestRef(request.id)} (${escapeText(request.prospect)}).`,
    blocks: [
      section(`:tada: *${name}* agreed to help with ${requestLine(details)}.`),
      fields([
        ['Name', name],
        ['Title', contact.title ? escapeText(contact.title) : null],
        ['Company', escapeText(contact.account.name)],
        ['Email', escapeText(contact.email)],
        ['Account owner', mention(ask.ownerId)],
      ]),
      section(brief.join('\n')),
      context('Please respect their time: one conversation, on the topics above.'),
    ],
  };
}

export function repOwnerCouldNot(details: RequestDetails): SlackMessage {
  const { ask, contact } = details;
  const who = contact ? escapeText(contactName(contact)) : 'the contact';
  return message(
    `${requestLine(details)}: ${mention(ask?.ownerId ?? '')} answered *${answerLabel(ask?.answer ?? 'declined')}* for ${who}. The reference managers will look for another contact.`,
  );
}
