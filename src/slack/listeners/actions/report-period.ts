import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { reportMetadataSchema } from '../../blocks/report.ts';
import { REPORT_FIELDS, REPORT_FILTERS } from '../../ids.ts';
import { parseJson, parseViewState } from '../../payloads.ts';
import { errorText, type ListenerDeps, ROLE_UNKNOWN } from '../deps.ts';
import { choicesOfView, pickerInput, reportView, viewerOf, workingView } from '../report-view.ts';
import { privateReply } from './button.ts';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** The picker's fields a pick re-renders the report for. */
export const PICKER_FIELDS = ['period', ...REPORT_FILTERS] as const;

/**
 * A period or a filter picked in the report modal: the figures for what the picker now says replace the
 * ones shown. "Between two dates" shows the two date pickers; Show then submits them.
 */
export function reportPickerChange(deps: ListenerDeps) {
  return async (args: Args): Promise<void> => {
    const { ack, body, action, client } = args;
    await ack();
    const view = body.view;
    if (!view) return;
    const tell = privateReply(args);
    const viewer = await viewerOf(deps, body.user.id);
    if (!viewer) return void (await tell(ROLE_UNKNOWN));
    const input = pickerInput(parseViewState(view.state?.values));
    // The pick itself is the truth for its own field (Slack's state holds it too).
    const pick = action as { action_id?: string; selected_option?: { value?: string } | null };
    const field = PICKER_FIELDS.find((f) => REPORT_FIELDS[f].action === pick.action_id);
    if (field && pick.selected_option?.value) input[field] = pick.selected_option.value;
    const choices = choicesOfView(view);
    try {
      deps.reports.service.authorize(viewer);
      if (input.period === 'dates' && (!input.from || !input.to)) {
        // The date pickers start from the days of the period shown.
        const shown = parseJson(reportMetadataSchema, view.private_metadata);
        const days = { from: input.from ?? shown?.from ?? null, to: input.to ?? shown?.to ?? null };
        const note = 'Pick the first and the last day, then press *Show*.';
        const next = workingView(deps, { ...input, ...days }, choices, note);
        return void (await client.views.update({ view_id: view.id, hash: view.hash, view: next }));
      }
      deps.reports.service.period(input);
      // The modal says it is working at once; the figures follow unless another pick came first
      // (then the hash has changed and Slack refuses this update).
      const working = workingView(deps, input, choices);
      const updated = await client.views.update({ view_id: view.id, hash: view.hash, view: working });
      const next = await reportView(deps, viewer, input);
      await client.views.update({ view_id: view.id, hash: updated.view?.hash, view: next });
    } catch (error) {
      // The modal changed meanwhile (another pick): it shows what the user did last.
      if ((error as { data?: { error?: string } }).data?.error === 'hash_conflict') return;
      await tell(errorText(deps, error, 'changing the report'));
    }
  };
}
