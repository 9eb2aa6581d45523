import { segmentLabel } from '../../../domain/gaps.ts';
import { driveRef } from '../../../domain/recruiting.ts';
import { noticeModal } from '../../blocks/decision-modals.ts';
import { recruitMetadataSchema } from '../../blocks/recruiting.ts';
import { RECRUIT_FIELDS } from '../../ids.ts';
import { fieldValue, parseJson } from '../../payloads.ts';
import type { ListenerDeps } from '../deps.ts';
import { submission, submitter } from './submission.ts';

/** The recruiting form: the drive starts, the owners are DMed through the outbox, the form says how many. */
export function recruitSubmission(deps: ListenerDeps) {
  return submission(deps, RECRUIT_FIELDS, RECRUIT_FIELDS.wanted.block, async (args, state) => {
    const who = await submitter(deps, args);
    const pipeline = parseJson(recruitMetadataSchema, args.view.private_metadata) ?? {
      amount: null,
      count: null,
      currency: null,
    };
    const input = Object.fromEntries(
      Object.entries(RECRUIT_FIELDS).map(([field, id]) => [field, fieldValue(state, id)]),
    );
    const started = await deps.recruiting.start(who, input, pipeline);
    const resting =
      started.resting > 0
        ? ` ${started.resting} other owner${started.resting === 1 ? ' was' : 's were'} asked in the last 30 days and left alone.`
        : '';
    return {
      response_action: 'update',
      view: noticeModal(
        `${driveRef(started.drive.id)} started`,
        `I am asking ${started.asked} account owner${started.asked === 1 ? '' : 's'} (${started.accounts} accounts in ${segmentLabel(started.drive.segment)}) to nominate a contact.${resting} The drive's card in the managers' channel counts their answers.`,
      ),
    };
  });
}
