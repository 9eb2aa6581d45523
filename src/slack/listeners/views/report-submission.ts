import { NotAllowedError } from '../../../errors.ts';
import type { ReportViewer } from '../../../services/report-service.ts';
import { REPORT_FIELDS } from '../../ids.ts';
import { parseViewState } from '../../payloads.ts';
import { errorText, type ListenerDeps, ROLE_UNKNOWN } from '../deps.ts';
import { choicesOfView, pickerInput, reportView, viewerOf, workingView } from '../report-view.ts';
import { submission, type ViewArgs } from './submission.ts';

/**
 * Show on the report modal. The period is checked before the ack (two wrong dates are pointed out on their
 * field), and the ack shows the modal working; a long period's figures can take longer than Slack waits for
 * an ack, so they replace it when they are worked out.
 */
export function reportSubmission(deps: ListenerDeps) {
  // The viewer each submission was checked for, once its period was found right.
  const checked = new WeakMap<ViewArgs, ReportViewer>();
  const check = submission(deps, REPORT_FIELDS, REPORT_FIELDS.period.block, async (args, state) => {
    const viewer = await viewerOf(deps, args.body.user.id);
    if (!viewer) throw new NotAllowedError(ROLE_UNKNOWN);
    deps.reports.service.authorize(viewer);
    const input = pickerInput(state);
    deps.reports.service.period(input);
    checked.set(args, viewer);
    return { response_action: 'update', view: workingView(deps, input, choicesOfView(args.view)) };
  });
  return async (args: ViewArgs): Promise<void> => {
    await check(args);
    const viewer = checked.get(args);
    if (!viewer) return;
    const input = pickerInput(parseViewState(args.view.state.values));
    const viewId = args.view.id;
    try {
      await args.client.views.update({ view_id: viewId, view: await reportView(deps, viewer, input) });
    } catch (error) {
      const note = errorText(deps, error, 'working out the program report');
      await args.client.views
        .update({ view_id: viewId, view: workingView(deps, input, choicesOfView(args.view), note) })
        .catch(() => undefined);
    }
  };
}
