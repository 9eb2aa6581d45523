import { requestRef } from '../../domain/reference.ts';
import { nextStep, statusLabel } from '../../domain/request-lifecycle.ts';
import type { RequestDetails } from '../../services/requests/index.ts';
import { COMMAND } from '../ids.ts';
import { escapeText } from '../mrkdwn.ts';
import { context, header, type SlackMessage, section } from './kit.ts';
import { contactLine } from './request-summary.ts';

export function helpMessage(problem?: string): SlackMessage {
  const lines = [
    `\`${COMMAND}\` — ask for a customer reference for an opportunity`,
    `\`${COMMAND} status\` — your asks, where they stand and what happens next`,
    `\`${COMMAND} cancel REF-12\` — withdraw an ask that is not finished`,
    `\`${COMMAND} nominate\` — propose a happy customer contact for the reference program`,
    `\`${COMMAND} contacts\` — (reference managers) search, edit, pause and add contacts`,
    `\`${COMMAND} report\` — (reference managers) the program report: asks, turnaround, contacts, outcomes`,
    `\`${COMMAND} gaps\` — (reference managers) where the pipeline needs references the program lacks`,
    `\`${COMMAND} help\` — this message`,
  ];
  const intro = problem ? `${problem}\n\n` : '';
  return {
    text: `${intro}${lines.join('\n')}`,
    blocks: [section(`${intro}*refdesk commands*\n${lines.join('\n')}`)],
  };
}

/** `/reference status`: the caller's latest asks, one section each (well under 50 blocks). */
export function statusMessage(asks: RequestDetails[]): SlackMessage {
  if (asks.length === 0) {
    const text = `You have no reference asks yet. Type \`${COMMAND}\` to ask for one.`;
    return { text, blocks: [section(text)] };
  }
  return {
    text: `Your reference asks: ${asks.map((a) => requestRef(a.request.id)).join(', ')}`,
    blocks: [
      header('Your reference asks'),
      ...asks.map(({ request, contact }) =>
        section(
          [
            `*${requestRef(request.id)}* · ${escapeText(request.prospect)} · ${contact ? contactLine(contact) : '_no contact yet_'}`,
            `_${statusLabel(request.status)}_ · Next: ${nextStep(request.status)}`,
          ].join('\n'),
        ),
      ),
      context(`\`${COMMAND} cancel REF-12\` withdraws an ask that is not finished.`),
    ],
  };
}

export const plainReply = (text: string): SlackMessage => ({ text, blocks: [section(text)] });
