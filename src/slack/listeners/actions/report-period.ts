import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
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
      let next: ModalView;
      if (period === 'dates') {
        deps.reports.service.authorize(viewer);
        const shown = parseJson(reportMetadataSchema, view.private_metadata);
        next = reportModal(
          {
            period: 'dates',
            from: shown?.from ?? null,
            to: shown?.to ?? null,
            report: null,
            note: 'Pick the first and the last day, then press *Show*.',
          },
          deps.now(),
        );
      } else {
        next = await reportView(deps, viewer, { period });
      }
      await client.views.update({ view_id: view.id, hash: view.hash, view: next });
    } catch (error) {
      // The modal changed meanwhile (another pick): it shows what the user did last.
      if ((error as { data?: { error?: string } }).data?.error === 'hash_conflict') return;
      await tell(errorText(deps, error, 'changing the report period'));
    }
  };
}
