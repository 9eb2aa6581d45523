import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { LIMITS } from '../../domain/request-draft.ts';
import { activityLabel, seniorityLabel } from '../../domain/vocabulary.ts';
import type { Nomination } from '../../store/nomination-store.ts';
import { ACTIONS, BLOCKS, VIEWS } from '../ids.ts';
import { escapeText, mention, quote, slackTime } from '../mrkdwn.ts';
import { actions, button, fields, input, LIMIT, plain, type SlackMessage, section } from './kit.ts';

export const nominationButtonSchema = z.object({ nominationId: z.number().int().positive() });
export const DECLINE_FIELDS = { reason: { block: 'reason', action: 'reason_input' } } as const;

/** The nominee as the cards show them: name, title, account. */
export const who = (n: Nomination) => {
  const e = n.entry;
  return `*${escapeText(e.contactName ?? e.contactEmail)}*${e.title ? `, ${escapeText(e.title)}` : ''} · ${escapeText(e.account)}`;
};

/** The nomination in the managers' channel: who, why, and Accept / Decline until decided. */
export function nominationCard(n: Nomination): SlackMessage {
  const e = n.entry;
  const blocks: KnownBlock[] = [
    section(`:star2: ${mention(n.nominatedBy)} nominates a reference: ${who(n)}`),
    fields([
      ['Industry', e.industry ? escapeText(e.industry) : null],
      ['Region', e.region ? escapeText(e.region) : null],
      ['Company size', escapeText(e.companySize)],
      ['Products', e.products.length ? escapeText(e.products.join(', ')) : null],
      ['Seniority', e.seniority ? seniorityLabel(e.seniority) : null],
      ['Activities', e.activities.length ? e.activities.map(activityLabel).join(', ') : null],
      ['Account owner', mention(e.owner)],
    ]),
    section(`*Why they would be a good reference*\n${quote(n.why)}`),
  ];
  if (n.status === 'pending') {
    const value = { nominationId: n.id };
    blocks.push(
      actions(BLOCKS.nomination, [
        button('Accept', ACTIONS.acceptNomination, value, 'primary'),
        button('Decline', ACTIONS.declineNomination, value),
      ]),
    );
  } else if (n.status === 'accepted') {
    blocks.push(
      section(
        `:white_check_mark: Accepted by ${mention(n.decidedBy ?? '')} ${slackTime(n.decidedAt ?? n.createdAt)}: now in the directory.`,
      ),
    );
  } else {
    blocks.push(
      section(
        `:no_entry: Declined by ${mention(n.decidedBy ?? '')} ${slackTime(n.decidedAt ?? n.createdAt)}\n${quote(n.decisionReason ?? '')}`,
      ),
    );
  }
  return {
    text: `Nomination: ${escapeText(n.entry.contactName ?? n.entry.contactEmail)} (${escapeText(n.entry.account)}), ${n.status}`,
    blocks,
  };
}

/** What the person who nominated hears back. */
export function nominatorDecided(n: Nomination): SlackMessage {
  const text =
    n.status === 'accepted'
      ? `Thank you! ${who(n)} is now in the reference directory (accepted by ${mention(n.decidedBy ?? '')}).`
      : `${who(n)} was not added to the reference directory; ${mention(n.decidedBy ?? '')} said:\n${quote(n.decisionReason ?? '')}`;
  return { text, blocks: [section(text)] };
}

export function declineNominationModal(n: Nomination): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.declineNomination,
    title: plain('Decline nomination', LIMIT.modalTitle),
    submit: plain('Decline', LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    private_metadata: JSON.stringify({ nominationId: n.id }),
    blocks: [
      section(`${mention(n.nominatedBy)} nominated ${who(n)}.`),
      input(DECLINE_FIELDS.reason.block, 'Why not (they will read this)', {
        type: 'plain_text_input',
        action_id: DECLINE_FIELDS.reason.action,
        multiline: true,
        max_length: LIMITS.reason,
      }),
    ],
  };
}
