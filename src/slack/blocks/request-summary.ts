import { formatDay } from '../../domain/dates.ts';
import { type ContactProfile, contactName, requestRef } from '../../domain/reference.ts';
import { activityLabel, OWNER_ANSWERS, type OwnerAnswer, seniorityLabel } from '../../domain/vocabulary.ts';
import type { RequestDetails } from '../../services/requests/index.ts';
import { escapeText, formatAmount, mention } from '../mrkdwn.ts';
import { fields } from './kit.ts';

/** "*REF-12* · Reference call for *Globex Corp* by *Fri 4 Dec 2026*": the one-line summary used everywhere. */
export function requestLine({ request }: Pick<RequestDetails, 'request'>): string {
  return `*${requestRef(request.id)}* · ${activityLabel(request.activity)} for *${escapeText(request.prospect)}* by *${formatDay(request.neededBy)}*`;
}

/** "Jane Doe, CFO · Acme": a contact without their email. */
export function contactLine(contact: ContactProfile): string {
  const title = contact.title ? `, ${escapeText(contact.title)}` : '';
  return `*${escapeText(contactName(contact))}*${title} · ${escapeText(contact.account.name)}`;
}

/** The opportunity and the criteria, as fields. */
export function criteriaFields({ request }: Pick<RequestDetails, 'request'>) {
  return fields([
    ['Asked by', mention(request.requesterId)],
    ['Opportunity', request.opportunity ? escapeText(request.opportunity) : null],
    ['Amount', request.amount === null ? null : formatAmount(request.amount)],
    ['Industry', request.industry ? escapeText(request.industry) : null],
    ['Products', request.products.length ? escapeText(request.products.join(', ')) : null],
    ['Region', request.region ? escapeText(request.region) : null],
    ['Company size', request.companySize ? escapeText(request.companySize) : null],
    ['Prospect seniority', request.seniority ? seniorityLabel(request.seniority) : null],
    ['Activity', activityLabel(request.activity)],
    ['Needed by', formatDay(request.neededBy)],
  ]);
}

export const answerLabel = (answer: OwnerAnswer): string => OWNER_ANSWERS[answer];
