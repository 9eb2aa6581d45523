import type { ModalView } from '@slack/types';
import type { PeriodChoiceKey } from '../../domain/report.ts';
import type { ReportViewer } from '../../services/report-service.ts';
import { reportModal } from '../blocks/report.ts';
import { REPORT_FIELDS } from '../ids.ts';
import { fieldValue, type ViewState } from '../payloads.ts';
import type { ListenerDeps } from './deps.ts';

/** What the report's period picker says: a choice, and two days when the choice is "between two dates". */
export interface PickerInput {
  period: string | null;
  from?: string | null;
  to?: string | null;
}

/** The person asking for the report, with whether they may see it; null when Slack could not tell us. */
export async function viewerOf(deps: ListenerDeps, userId: string): Promise<ReportViewer | null> {
  try {
    return { id: userId, canViewReports: await deps.reports.viewers.canView(userId) };
  } catch {
    return null;
  }
}

export const pickerInput = (state: ViewState): PickerInput => ({
  period: fieldValue(state, REPORT_FIELDS.period),
  from: fieldValue(state, REPORT_FIELDS.from),
  to: fieldValue(state, REPORT_FIELDS.to),
});

/** The report modal with the figures for the period the picker names (the service checks who asks). */
export async function reportView(
  deps: ListenerDeps,
  viewer: ReportViewer,
  input: PickerInput,
): Promise<ModalView> {
  const report = await deps.reports.service.report(viewer, input);
  const { current } = report.periods;
  return reportModal(
    {
      period: (input.period ?? 'last_30') as PeriodChoiceKey,
      from: current.firstDay,
      to: current.lastDay,
      report,
    },
    deps.now(),
  );
}
