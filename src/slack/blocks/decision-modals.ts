import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import type { MatchResult, Suggestion } from '../../domain/matching.ts';
import { requestRef } from '../../domain/reference.ts';
import { LIMITS } from '../../domain/request-draft.ts';
import { NO_SUITABLE_REFERENCE } from '../../domain/vocabulary.ts';
import type { RequestDetails } from '../../services/requests/index.ts';
import { ACTIONS, APPROVE_FIELDS, DENY_FIELDS, VIEWS, versioned } from '../ids.ts';
import { escapeText, quote } from '../mrkdwn.ts';
import { contactOption } from './contact-option.ts';
import { context, input, LIMIT, plain, section } from './kit.ts';
import { matchBlocks, suggestionText } from './match-blocks.ts';
import { requestLine } from './request-summary.ts';

/** What the approve and deny modals remember between opening and submitting. */
export const decisionMetadataSchema = z.object({
  requestId: z.number().int().positive(),
  /** Version of the contact block, bumped when refdesk sets the contact itself (see `versioned`). */
  v: z.number().int().min(0).max(1000).default(0),
});
export type DecisionMetadata = z.infer<typeof decisionMetadataSchema>;

function summary(details: RequestDetails) {
  return section(`${requestLine(details)}\n${quote(details.request.context)}`);
}

export interface ApproveModalOptions {
  /** How the chosen contact fits (reasons, warnings, rule violations); null when none is chosen. */
  chosen: Suggestion | null;
  /** The best matches for the request, to choose from with one click. */
  top: MatchResult | null;
  version?: number;
}

/** How the chosen contact fits, and what overriding would mean. */
function chosenBlocks(chosen: Suggestion | null): KnownBlock[] {
  if (!chosen) return [context('Pick a contact to see how they fit this request.')];
  const blocks: KnownBlock[] = [section(suggestionText(chosen))];
  if (chosen.violations.length > 0) {
    blocks.push(
      section(
        `:octagonal_sign: *Over the program's limits:* ${escapeText(chosen.violations.join('; '))}. To approve anyway, give an override reason below; it is kept in the history.`,
      ),
    );
  }
  return blocks;
}

/** Approve: confirm or change the contact, and leave a note for the account owner. */
export function approveModal(details: RequestDetails, opts: ApproveModalOptions): ModalView {
  const { request } = details;
  const version = opts.version ?? 0;
  const chosen = opts.chosen;
  return {
    type: 'modal',
    callback_id: VIEWS.approve,
    title: plain(`Approve ${requestRef(request.id)}`, LIMIT.modalTitle),
    submit: plain('Approve', LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    private_metadata: JSON.stringify({ requestId: request.id, v: version } satisfies DecisionMetadata),
    blocks: [
      summary(details),
      ...(opts.top
        ? matchBlocks(opts.top, {
            title: 'Top matches',
            limit: 3,
            choose: { actionId: ACTIONS.chooseContact, text: 'Choose' },
          })
        : []),
      {
        ...input(
          versioned(APPROVE_FIELDS.contact.block, version),
          'Reference contact',
          {
            type: 'external_select',
            action_id: APPROVE_FIELDS.contact.action,
            min_query_length: 0,
            placeholder: plain('Search by person or account'),
            ...(chosen ? { initial_option: contactOption(chosen.contact) } : {}),
          },
          { hint: "Ordered by fit for this request. We ask the contact's account owner to secure them." },
        ),
        // Picking a contact tells refdesk at once, so the modal can show how they fit.
        dispatch_action: true,
      },
      ...chosenBlocks(chosen),
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
      input(
        APPROVE_FIELDS.overrideReason.block,
        'Override reason',
        {
          type: 'plain_text_input',
          action_id: APPROVE_FIELDS.overrideReason.action,
          multiline: true,
          max_length: LIMITS.reason,
        },
        {
          optional: true,
          hint: 'Only needed for a contact over the program limits or who has not agreed to this activity.',
        },
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
    private_metadata: JSON.stringify({ requestId: request.id, v: 0 } satisfies DecisionMetadata),
    blocks: [
      summary(details),
      input(
        DENY_FIELDS.noSuitableReference.block,
        'No suitable reference?',
        {
          type: 'checkboxes',
          action_id: DENY_FIELDS.noSuitableReference.action,
          options: [
            {
              text: plain(`${NO_SUITABLE_REFERENCE} in the program`),
              description: plain(
                'Counted as unmet demand in /reference gaps. The reason below is then optional.',
              ),
              value: 'yes',
            },
          ],
        },
        { optional: true },
      ),
      input(
        DENY_FIELDS.reason.block,
        'Reason for the rep',
        {
          type: 'plain_text_input',
          action_id: DENY_FIELDS.reason.action,
          multiline: true,
          max_length: LIMITS.reason,
        },
        { optional: true },
      ),
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
