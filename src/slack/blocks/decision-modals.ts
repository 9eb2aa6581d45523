import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { requestRef } from '../../domain/reference';
import { LIMITS } from '../../domain/request-draft';
import type { RequestDetails } from '../../services/request-service';
import { APPROVE_FIELDS, DENY_FIELDS, VIEWS } from '../ids';
import { quote } from '../mrkdwn';
import { contactOption } from './contact-option';
import { input, LIMIT, plain, section } from './kit';
import { requestLine } from './request-summary';

/** What the approve and deny modals remember between opening and submitting. */
export const decisionMetadataSchema = z.object({ requestId: z.number().int().positive() });
export type DecisionMetadata = z.infer<typeof decisionMetadataSchema>;

function summary(details: RequestDetails) {
  return section(`${requestLine(details)}\n${quote(details.request.context)}`);
}

/** Approve: confirm or change the contact, and leave a note for the account owner. */
export function approveModal(details: RequestDetails): ModalView {
  const { request } = details;
  const initial = details.preferred?.status === 'active' ? details.preferred : null;
  return {
    type: 'modal',
    callback_id: VIEWS.approve,
    title: plain(`Approve ${requestRef(request.id)}`, LIMIT.modalTitle),
    submit: plain('Approve', LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    private_metadata: JSON.stringify({ requestId: request.id } satisfies DecisionMetadata),
    blocks: [
      summary(details),
      input(
        APPROVE_FIELDS.contact.block,
        'Reference contact',
        {
          type: 'external_select',
          action_id: APPROVE_FIELDS.contact.action,
          min_query_length: 0,
          placeholder: plain('Search by person or account'),
          ...(initial ? { initial_option: contactOption(initial) } : {}),
        },
        { hint: "We ask the contact's account owner to secure them." },
      ),
      input(
        APPROVE_FIELDS.note.block,
        'Note for the account owner',
        {
          type: 'plain_text_input',
          action_id: APPROVE_FIELDS.note.action,
          multiline: true,
          max_length: LIMITS.note,
        },
        { optional: true },
      ),
    ],
  };
}

/** Deny: the rep is told the reason. */
export function denyModal(details: RequestDetails): ModalView {
  const { request } = details;
  return {
    type: 'modal',
    callback_id: VIEWS.deny,
    title: plain(`Deny ${requestRef(request.id)}`, LIMIT.modalTitle),
    submit: plain('Deny', LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    private_metadata: JSON.stringify({ requestId: request.id } satisfies DecisionMetadata),
    blocks: [
      summary(details),
      input(DENY_FIELDS.reason.block, 'Reason for the rep', {
        type: 'plain_text_input',
        action_id: DENY_FIELDS.reason.action,
        multiline: true,
        max_length: LIMITS.reason,
      }),
    ],
  };
}

/** Replaces a modal when there is nothing left to do in it (someone else decided first). */
export function noticeModal(title: string, text: string): ModalView {
  return {
    type: 'modal',
    title: plain(title, LIMIT.modalTitle),
    close: plain('Close', LIMIT.modalTitle),
    blocks: [section(text)],
  };
}
