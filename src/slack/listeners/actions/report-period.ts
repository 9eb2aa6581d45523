import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { reportMetadataSchema, reportModal } from '../../blocks/report.ts';
import { parseJson } from '../../payloads.ts';
import { errorText, type ListenerDeps, ROLE_UNKNOWN } from '../deps.ts';
import { reportView, viewerOf } from '../report-view.ts';
import { privateReply } from './button.ts';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * A period picked in the report modal: the figures of that period replace the ones shown.
 * "Between two dates" shows the two date pickers; Show then submits them.
 */
export function reportPeriodChange(deps: ListenerDeps) {
  return async (args: Args): Promise<void> => {
    const { ack, body, action, client } = args;
    await ack();
    const view = body.view;
    if (!view) return;
    const tell = privateReply(args);
    const viewer = await viewerOf(deps, body.user.id);
    if (!viewer) return void (await tell(ROLE_UNKNOWN));
    const period = (action as { selected_option?: { value?: string } | null }).selected_option?.value ?? null;
    try {
      deps.reports.service.authorize(viewer);
      const shown = parseJson(reportMetadataSchema, view.private_metadata);
      const days = { from: shown?.from ?? null, to: shown?.to ?? null };
      if (period === 'dates') {
        const note = 'Pick the first and the last day, then press *Show*.';
        const next = reportModal({ period: 'dates', ...days, report: null, note }, deps.now());
        return void (await client.views.update({ view_id: view.id, hash: view.hash, view: next }));
      }
      const choice = deps.reports.service.period({ period });
      // The modal says it is working at once; the figures follow unless another pick came first
      // (then the hash has changed and Slack refuses this update).
      const working = reportModal({ period: choice.kind, ...days, report: null }, deps.now());
      const updated = await client.views.update({ view_id: view.id, hash: view.hash, view: working });
      const next = await reportView(deps, viewer, { period });
      await client.views.update({ view_id: view.id, hash: updated.view?.hash, view: next });
    } catch (error) {
      // The modal changed meanwhile (another pick): it shows what the user did last.
      if ((error as { data?: { error?: string } }).data?.error === 'hash_conflict') return;
      await tell(errorText(deps, error, 'changing the report period'));
    }
  };
}
