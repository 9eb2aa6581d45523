import { DIRECTORY_COLUMNS } from '../../../domain/directory-entry.ts';
import { noticeModal } from '../../blocks/decision-modals.ts';
import {
  contactFormMetadataSchema,
  contactMetadataSchema,
  contactPage,
  PAUSE_FIELDS,
  WHY,
} from '../../blocks/directory-views.ts';
import { DECLINE_FIELDS, nominationButtonSchema } from '../../blocks/nomination-messages.ts';
import { readContactForm } from '../../directory-form.ts';
import { fieldValue, parseJson } from '../../payloads.ts';
import type { ListenerDeps } from '../deps.ts';
import { submitter as actor, submission } from './submission.ts';

/** Error keys are CSV columns, which are also the form's block ids. */
const COLUMN_BLOCKS = Object.fromEntries([...DIRECTORY_COLUMNS, WHY.block].map((c) => [c, { block: c }]));
const STALE = 'This form is out of date. Open it again.';

/** The contact form: add, edit, nominate, or accept a nomination. */
export function contactFormSubmission(deps: ListenerDeps) {
  return submission(deps, COLUMN_BLOCKS, 'account', async (args, state) => {
    const meta = parseJson(contactFormMetadataSchema, args.view.private_metadata);
    if (!meta) return { response_action: 'update', view: noticeModal('Nothing changed', STALE) };
    const who = await actor(deps, args);
    const row = readContactForm(state);
    switch (meta.mode) {
      case 'nominate':
        await deps.directory.nominate(who, row, fieldValue(state, WHY), args.view.id, meta.driveId);
        return {
          response_action: 'update',
          view: noticeModal(
            'Thank you!',
            'The reference managers will review your nomination; I will tell you what they decide.',
          ),
        };
      case 'accept':
        await deps.directory.acceptNomination(who, meta.nominationId ?? 0, row, args.view.id);
        return;
      case 'add': {
        const contactId = await deps.directory.save(who, null, row, args.view.id);
        return {
          response_action: 'update',
          view: contactPage(await deps.directory.page(who, contactId), deps.now()),
        };
      }
      case 'edit': {
        const contactId = await deps.directory.save(who, meta.contactId, row);
        return {
          response_action: 'update',
          view: contactPage(await deps.directory.page(who, contactId), deps.now()),
        };
      }
    }
  });
}

export function pauseSubmission(deps: ListenerDeps) {
  return submission(deps, PAUSE_FIELDS, PAUSE_FIELDS.until.block, async (args, state) => {
    const meta = parseJson(contactMetadataSchema, args.view.private_metadata);
    if (!meta) return { response_action: 'update', view: noticeModal('Nothing changed', STALE) };
    const who = await actor(deps, args);
    await deps.directory.pause(who, meta.contactId, {
      until: fieldValue(state, PAUSE_FIELDS.until),
      reason: fieldValue(state, PAUSE_FIELDS.reason),
    });
    return {
      response_action: 'update',
      view: contactPage(await deps.directory.page(who, meta.contactId), deps.now()),
    };
  });
}

export function declineNominationSubmission(deps: ListenerDeps) {
  return submission(deps, DECLINE_FIELDS, DECLINE_FIELDS.reason.block, async (args, state) => {
    const meta = parseJson(nominationButtonSchema, args.view.private_metadata);
    if (!meta) return { response_action: 'update', view: noticeModal('Nothing changed', STALE) };
    await deps.directory.declineNomination(
      await actor(deps, args),
      meta.nominationId,
      fieldValue(state, DECLINE_FIELDS.reason),
    );
  });
}
