import { NotAllowedError } from '../../../errors.ts';
import { REPORT_FIELDS } from '../../ids.ts';
import { type ListenerDeps, ROLE_UNKNOWN } from '../deps.ts';
import { pickerInput, reportView, viewerOf } from '../report-view.ts';
import { submission } from './submission.ts';

/** Show on the report modal: the figures of the period picked (two wrong dates are pointed out on their field). */
export function reportSubmission(deps: ListenerDeps) {
  return submission(deps, REPORT_FIELDS, REPORT_FIELDS.period.block, async (args, state) => {
    const viewer = await viewerOf(deps, args.body.user.id);
    if (!viewer) throw new NotAllowedError(ROLE_UNKNOWN);
    return { response_action: 'update', view: await reportView(deps, viewer, pickerInput(state)) };
  });
}
