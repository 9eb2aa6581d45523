import type { HomeView, KnownBlock } from '@slack/types';
import { formatDay } from '../../domain/dates.ts';
import { contactName, requestRef } from '../../domain/reference.ts';
import { isFinished, nextStep, statusLabel } from '../../domain/request-lifecycle.ts';
import type { HomeData, ManagerHome } from '../../services/home-service.ts';
import type { RequestDetails } from '../../services/requests/index.ts';
import { ACTIONS, COMMAND } from '../ids.ts';
import { escapeText, formatAmount, mention } from '../mrkdwn.ts';
import { actions, button, context, divider, header, plain, section } from './kit.ts';
import { ownerAnswerButtons } from './owner-messages.ts';
import { contactLine, requestLine } from './request-summary.ts';

const contactOf = (d: RequestDetails) => (d.contact ? contactLine(d.contact) : '_no contact yet_');

/** One of the rep's asks, with what they can do about it now. */
function myAsk(d: RequestDetails): KnownBlock[] {
  const { request, outcome } = d;
  const value = { requestId: request.id };
  const blocks: KnownBlock[] = [
    section(
      `*${requestRef(request.id)}* · ${escapeText(request.prospect)} · ${contactOf(d)}\n_${statusLabel(request.status)}_ · Next: ${nextStep(request.status)}`,
    ),
  ];
  const buttons = [];
  if (request.status === 'agreed') {
    buttons.push(
      button('It happened', ACTIONS.outcomeYes, value, 'primary'),
      button("It didn't happen", ACTIONS.outcomeNo, value),
    );
  }
  if (request.status === 'completed' && outcome && !outcome.dealResult) {
    buttons.push(button('Record deal result', ACTIONS.recordDeal, value));
  }
  if (!isFinished(request.status)) {
    buttons.push({
      ...button('Cancel', ACTIONS.cancelRequest, value),
      confirm: {
        title: plain(`Cancel ${requestRef(request.id)}?`),
        text: plain('The managers and the account owner will be told.'),
        confirm: plain('Cancel the ask'),
        deny: plain('Keep it'),
      },
    });
  }
  if (buttons.length > 0) blocks.push(actions(`mine_${request.id}`, buttons));
  return blocks;
}

function ownerAsk(d: RequestDetails): KnownBlock[] {
  const who = d.contact ? contactLine(d.contact) : 'a contact';
  return [
    section(`${mention(d.request.requesterId)} needs ${who}\n${requestLine(d)}`),
    ownerAnswerButtons(d.ask?.id ?? 0, { snooze: true }),
  ];
}

/** A compact list: one line per request, in one section. */
function list(title: string, items: RequestDetails[], total?: number): KnownBlock[] {
  if (items.length === 0) return [section(`*${title}:* none`)];
  const lines = items.map(
    (d) =>
      `• *${requestRef(d.request.id)}* · ${escapeText(d.request.prospect)} · needed by ${formatDay(d.request.neededBy)}` +
      (d.ask && !d.ask.answer && d.request.status === 'awaiting_owner'
        ? ` · ${mention(d.ask.ownerId)}${d.ask.remindersSent ? ` (${d.ask.remindersSent} reminder${d.ask.remindersSent === 1 ? '' : 's'})` : ''}`
        : ''),
  );
  const more = total !== undefined && total > items.length ? `\n_and ${total - items.length} more_` : '';
  return [section(`*${title}* (${total ?? items.length})\n${lines.join('\n')}${more}`)];
}

function managerBlocks(m: ManagerHome, windowDays: number): KnownBlock[] {
  const limits = m.nearLimits.map(
    ({ contact, usage }) =>
      `• *${escapeText(contactName(contact))}* · ${escapeText(contact.accountName)} · ${usage.asksInWindow} ask${usage.asksInWindow === 1 ? '' : 's'} in ${windowDays} days${usage.openAsks ? ` · ${usage.openAsks} open` : ''}`,
  );
  return [
    header('Reference queue'),
    ...list('To decide', m.toDecide, m.toDecideCount),
    ...list('Waiting on account owners', m.waitingOnOwners, m.waitingCount),
    ...list('Overdue: owners reminded', m.overdue),
    ...list('Expiring soon', m.expiringSoon),
    section(
      limits.length
        ? `*Contacts near their limits*\n${limits.join('\n')}`
        : '*Contacts near their limits:* none',
    ),
    context(
      `Influenced revenue: ${formatAmount(m.influenced.amount)} in ${m.influenced.deals} won deal${m.influenced.deals === 1 ? '' : 's'} where a reference happened.`,
    ),
  ];
}

/**
 * The App Home: adapts to whoever opens it; a manager's ends with `program` (the Program section).
 * Stays under 100 blocks (8 items per list at most).
 */
export function homeView(data: HomeData, windowDays: number, program: readonly KnownBlock[] = []): HomeView {
  const blocks: KnownBlock[] = [
    header('Your reference asks'),
    ...(data.myAsks.length
      ? data.myAsks.flatMap(myAsk)
      : [section(`You have no asks yet. Type \`${COMMAND}\` to ask for a customer reference.`)]),
  ];
  if (data.ownerAsks.length > 0) {
    blocks.push(divider(), header('Waiting for your answer'), ...data.ownerAsks.flatMap(ownerAsk));
  }
  if (data.manager) blocks.push(divider(), ...managerBlocks(data.manager, windowDays));
  if (program.length > 0) blocks.push(divider(), ...program);
  return { type: 'home', blocks };
}
