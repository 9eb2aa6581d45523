import type { ModalView } from '@slack/types';
import type { PeriodChoiceKey, Team } from '../../domain/report.ts';
import type { ReportViewer } from '../../services/report-service.ts';
import { ANY, type PickedFilters, pickedOf, type ReportChoices, reportModal } from '../blocks/report.ts';
import { REPORT_FIELDS, REPORT_FILTERS } from '../ids.ts';
import { fieldValue, type ViewState } from '../payloads.ts';
import type { ListenerDeps } from './deps.ts';

/** What the report's picker says: a period (two days when "between two dates") and the filters. */
export interface PickerInput extends Partial<PickedFilters> {
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
  ...Object.fromEntries(REPORT_FILTERS.map((field) => [field, fieldValue(state, REPORT_FIELDS[field])])),
});

/** The filters' picks as the modal shows them ("any" is none). */
export const pickedOfInput = (input: PickerInput): PickedFilters =>
  Object.fromEntries(
    REPORT_FILTERS.map((field) => {
      const value = input[field] ?? null;
      return [field, value === ANY ? null : value];
    }),
  ) as PickedFilters;

/**
 * What the filters of a modal already shown offer, read back from its blocks: the modal says it is working
 * with the same filters, without asking Slack or the database before the ack.
 */
export function choicesOfView(view: { blocks?: unknown[] } | undefined): ReportChoices {
  const optionsOf = (field: (typeof REPORT_FILTERS)[number]) => {
    const block = view?.blocks?.find(
      (b): b is { element?: { options?: { text?: { text?: string }; value?: string }[] } } =>
        (b as { block_id?: string }).block_id === REPORT_FIELDS[field].block,
    );
    return (block?.element?.options ?? [])
      .filter((o) => o.value && o.value !== ANY)
      .map((o) => ({ id: o.value!, name: o.text?.text ?? o.value! }));
  };
  const names = (field: 'industry' | 'product' | 'region') => optionsOf(field).map((o) => o.id);
  return {
    industries: names('industry'),
    products: names('product'),
    regions: names('region'),
    teams: optionsOf('team'),
  };
}

/** The directory's segment values and the workspace's teams (both kept a while: no call each time). */
async function choicesAndTeams(deps: ListenerDeps): Promise<{ choices: ReportChoices; teams: Team[] }> {
  const [facets, teams] = await Promise.all([deps.requests.queries.facets(), deps.reports.teams.list()]);
  return {
    teams,
    choices: {
      industries: facets.industries,
      products: facets.products,
      regions: facets.regions,
      teams: teams.map(({ id, name }) => ({ id, name })),
    },
  };
}

/** The report modal while the figures are worked out (or with `note` instead of them). */
export const workingView = (
  deps: ListenerDeps,
  input: PickerInput,
  choices: ReportChoices | null,
  note?: string,
): ModalView =>
  reportModal(
    {
      period: (input.period ?? 'last_30') as PeriodChoiceKey,
      from: input.from ?? null,
      to: input.to ?? null,
      report: null,
      choices,
      picked: pickedOfInput(input),
      ...(note ? { note } : {}),
    },
    deps.now(),
  );

/** The report modal with the figures for the period and filters the picker names (the service checks who asks). */
export async function reportView(
  deps: ListenerDeps,
  viewer: ReportViewer,
  input: PickerInput,
): Promise<ModalView> {
  const { choices, teams } = await choicesAndTeams(deps);
  const report = await deps.reports.service.report(viewer, input, teams);
  const { current } = report.periods;
  return reportModal(
    {
      period: (input.period ?? 'last_30') as PeriodChoiceKey,
      from: current.firstDay,
      to: current.lastDay,
      report,
      choices,
      picked: pickedOf(report),
    },
    deps.now(),
  );
}
