import type { KnownBlock } from '@slack/types';
import type { MatchResult, Suggestion } from '../../domain/matching.ts';
import { requestRef } from '../../domain/reference.ts';
import { statusLabel } from '../../domain/request-lifecycle.ts';
import { activityLabel } from '../../domain/vocabulary.ts';
import type { RequestDetails } from '../../services/requests/index.ts';
import { ACTIONS, BLOCKS } from '../ids.ts';
import { escapeText, mention, quote, slackTime } from '../mrkdwn.ts';
import { actions, button, context, header, type SlackMessage, section } from './kit.ts';
import { matchBlocks } from './match-blocks.ts';
import { answerLabel, contactLine, criteriaFields } from './request-summary.ts';

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);

/** What the matcher says about the request, for the card: the best contacts and the preferred one's fit. */
export interface CardMatches {
  top: MatchResult | null;
  preferred: Suggestion | null;
}

function preferredBlock(
  { preferred, preferredRecentAsks, windowDays }: RequestDetails,
  fit: Suggestion | null,
): KnownBlock {
  if (!preferred) return section('*Preferred contact:* none, pick one when you approve.');
  const lines = [
    `*Preferred contact:* ${contactLine(preferred)}`,
    `Asked ${times(preferredRecentAsks)} in the last ${windowDays} days${preferred.status === 'active' ? '' : ` · _${preferred.status}_`}`,
  ];
  const concerns = fit ? [...new Set([...fit.violations, ...fit.warnings])] : [];
  if (concerns.length > 0) lines.push(`:warning: ${escapeText(concerns.join(' · '))}`);
  return section(lines.join('\n'));
}

/** Where the request stands, and who moved it there. */
function outcomeBlocks({ request, ask, contact, outcome }: RequestDetails): KnownBlock[] {
  const ref = requestRef(request.id);
  switch (request.status) {
    case 'submitted': {
      const returned =
        ask?.answer && contact
          ? [
              section(
                `:leftwards_arrow_with_hook: ${mention(ask.ownerId)} answered *${answerLabel(ask.answer)}* for ${contactLine(contact)}. Approve another contact or deny.`,
              ),
            ]
          : [];
      return [
        ...returned,
        actions(BLOCKS.decision, [
          button('Approve', ACTIONS.approve, { requestId: request.id }, 'primary'),
          button('Deny', ACTIONS.deny, { requestId: request.id }, 'danger'),
        ]),
      ];
    }
    case 'awaiting_owner':
    case 'agreed':
    case 'completed':
    case 'not_held': {
      if (!ask) return [];
      const who = contact ? contactLine(contact) : 'the contact';
      const lines = [
        `:white_check_mark: Approved by ${mention(ask.approvedBy)} ${slackTime(ask.approvedAt)} · ${who}`,
      ];
      if (ask.overrideReason)
        lines.push(`:octagonal_sign: *Override of the program rules:* ${escapeText(ask.overrideReason)}`);
      if (ask.note) lines.push(`*Note for the owner:*\n${quote(ask.note)}`);
      lines.push(
        ask.answer === 'agreed' && ask.answeredAt
          ? `:handshake: ${mention(ask.answeredBy ?? ask.ownerId)} confirmed the contact agreed ${slackTime(ask.answeredAt)}`
          : `:hourglass_flowing_sand: Waiting on ${mention(ask.ownerId)}, the account owner`,
      );
      if (outcome?.happened) {
        const rating = outcome.rating === null ? '' : `, rated ${outcome.rating}/5`;
        lines.push(`:tada: It happened${rating}${outcome.dealResult ? ` · deal ${outcome.dealResult}` : ''}`);
      } else if (outcome) {
        lines.push(
          `:heavy_minus_sign: It did not happen${outcome.whyNot ? `:\n${quote(outcome.whyNot)}` : ''}`,
        );
      }
      return [section(lines.join('\n'))];
    }
    case 'expired':
      return [
        section(
          `:hourglass: Expired ${slackTime(request.closedAt ?? request.updatedAt)}: the needed-by date passed while it was still waiting.`,
        ),
      ];
    case 'denied':
      return [
        section(
          `:no_entry: Denied by ${mention(request.closedBy ?? '')} ${slackTime(request.closedAt ?? request.updatedAt)}\n*Reason:*\n${quote(request.closeReason ?? '')}`,
        ),
      ];
    case 'cancelled':
      return [
        section(
          `:heavy_multiplication_x: ${ref} was cancelled by ${mention(request.closedBy ?? request.requesterId)} ${slackTime(request.closedAt ?? request.updatedAt)}`,
        ),
      ];
  }
}

/** The card in the managers' channel: everything needed to decide, and the decision once made. */
export function requestCard(
  details: RequestDetails,
  matches: CardMatches = { top: null, preferred: null },
): SlackMessage {
  const { request } = details;
  const ref = requestRef(request.id);
  return {
    text: `${ref}: ${activityLabel(request.activity)} for ${escapeText(request.prospect)}, ${statusLabel(request.status).toLowerCase()}`,
    blocks: [
      header(`${ref} · ${activityLabel(request.activity)} for ${request.prospect}`),
      criteriaFields(details),
      section(`*Context*\n${quote(request.context)}`),
      preferredBlock(details, matches.preferred),
      ...(request.status === 'submitted' && matches.top
        ? matchBlocks(matches.top, { title: 'Top matches', limit: 3 })
        : []),
      context(`*Status:* ${statusLabel(request.status)}`),
      ...outcomeBlocks(details),
    ],
  };
}

/** The thread note when the owner could not secure the contact. */
export function ownerAnswerNote(details: RequestDetails): SlackMessage {
  const { request, ask, contact } = details;
  const who = contact ? contactLine(contact) : 'the contact';
  const answer = ask?.answer ? answerLabel(ask.answer) : 'no answer';
  const text = `${mention(ask?.answeredBy ?? ask?.ownerId ?? '')} answered *${answer}* for ${who}. ${requestRef(request.id)} is back with you: approve another contact or deny it on the card.`;
  return { text, blocks: [section(text)] };
}
