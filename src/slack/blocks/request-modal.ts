import type { ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import type { MatchResult } from '../../domain/matching.ts';
import { type DirectoryFacets, LIMITS } from '../../domain/request-draft.ts';
import { ACTIVITIES, SENIORITIES } from '../../domain/vocabulary.ts';
import { ACTIONS, REQUEST_FIELDS as F, VIEWS, versioned } from '../ids.ts';
import { contactOption, type OptionContact } from './contact-option.ts';
import { actions, button, input, LIMIT, option, plain } from './kit.ts';
import { matchBlocks } from './match-blocks.ts';

/** What the form holds, as Slack gives it back: raw strings, validated only on submit. */
export interface RequestFormValues {
  prospect: string | null;
  opportunity: string | null;
  amount: string | null;
  industry: string | null;
  products: string[];
  region: string | null;
  companySize: string | null;
  seniority: string | null;
  activity: string | null;
  neededBy: string | null;
  context: string | null;
  preferredContactId: string | null;
}

/** The request modal's private_metadata: the version of the preferred-contact block (bumped to set it). */
export const requestMetadataSchema = z.object({ v: z.number().int().min(0).max(1000) });
export type RequestMetadata = z.infer<typeof requestMetadataSchema>;

const options = (values: readonly string[]): PlainTextOption[] =>
  values.slice(0, LIMIT.options).map((v) => option(v, v));

const entries = (labels: Record<string, string>): PlainTextOption[] =>
  Object.entries(labels).map(([value, text]) => option(text, value));

const pick = (all: PlainTextOption[], value: string | null | undefined) => all.find((o) => o.value === value);

function facetSelect(
  field: 'industry' | 'region' | 'companySize',
  label: string,
  values: readonly string[],
  initial?: string | null,
) {
  if (values.length === 0) return [];
  const all = options(values);
  const chosen = pick(all, initial);
  const { block, action } = F[field];
  return [
    input(
      block,
      label,
      {
        type: 'static_select',
        action_id: action,
        options: all,
        placeholder: plain('Any'),
        ...(chosen ? { initial_option: chosen } : {}),
      },
      { optional: true },
    ),
  ];
}

function productSelect(values: readonly string[], initial: readonly string[] = []) {
  if (values.length === 0) return [];
  const all = options(values);
  const chosen = all.filter((o) => initial.includes(o.value!));
  return [
    input(
      F.products.block,
      'Products',
      {
        type: 'multi_static_select',
        action_id: F.products.action,
        options: all,
        placeholder: plain('Any'),
        ...(chosen.length ? { initial_options: chosen } : {}),
      },
      { optional: true },
    ),
  ];
}

const text = (value: string | null | undefined) => (value ? { initial_value: value } : {});

export interface RequestModalOptions {
  values?: Partial<RequestFormValues>;
  /** The preferred contact to show as chosen (when it was just picked from the matches). */
  preferred?: OptionContact | null;
  matches?: MatchResult | null;
  version?: number;
  /** A pipeline is loaded: the opportunity field is a typeahead over the rep's open deals (typed text still goes). */
  opportunityTypeahead?: boolean;
}

/** The opportunity field: free text, or the typeahead over the rep's open opportunities. */
function opportunityField(value: string | null | undefined, typeahead: boolean) {
  const element = typeahead
    ? {
        type: 'external_select' as const,
        action_id: F.opportunity.action,
        min_query_length: 0,
        placeholder: plain('Type an id, a name or the prospect'),
        ...(value ? { initial_option: option(value, value) } : {}),
      }
    : {
        type: 'plain_text_input' as const,
        action_id: F.opportunity.action,
        max_length: LIMITS.opportunity,
        ...text(value),
      };
  return input(F.opportunity.block, 'Opportunity name or CRM id', element, { optional: true });
}

/** The "Request a reference" modal: the ask, a "Find matches" button, and the matches once found. */
export function requestModal(facets: DirectoryFacets, opts: RequestModalOptions = {}): ModalView {
  const v = opts.values ?? {};
  const version = opts.version ?? 0;
  const seniorities = entries(SENIORITIES);
  const activities = entries(ACTIVITIES);
  const seniority = pick(seniorities, v.seniority);
  const activity = pick(activities, v.activity);
  return {
    type: 'modal',
    callback_id: VIEWS.request,
    title: plain('Request a reference', LIMIT.modalTitle),
    submit: plain('Submit', LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    private_metadata: JSON.stringify({ v: version } satisfies RequestMetadata),
    blocks: [
      input(F.prospect.block, 'Prospect company', {
        type: 'plain_text_input',
        action_id: F.prospect.action,
        max_length: LIMITS.prospect,
        placeholder: plain('e.g. Globex Corp'),
        ...text(v.prospect),
      }),
      opportunityField(v.opportunity, opts.opportunityTypeahead ?? false),
      input(
        F.amount.block,
        'Opportunity amount',
        {
          type: 'number_input',
          action_id: F.amount.action,
          is_decimal_allowed: true,
          min_value: '0',
          ...text(v.amount),
        },
        { optional: true },
      ),
      ...facetSelect('industry', 'Industry', facets.industries, v.industry),
      ...productSelect(facets.products, v.products),
      ...facetSelect('region', 'Region', facets.regions, v.region),
      ...facetSelect('companySize', 'Company size', facets.companySizes, v.companySize),
      input(
        F.seniority.block,
        "Prospect contact's seniority",
        {
          type: 'static_select',
          action_id: F.seniority.action,
          options: seniorities,
          ...(seniority ? { initial_option: seniority } : {}),
        },
        { optional: true, hint: 'We look for a peer at the same level.' },
      ),
      input(F.activity.block, 'Activity', {
        type: 'static_select',
        action_id: F.activity.action,
        options: activities,
        placeholder: plain('What should the reference do?'),
        ...(activity ? { initial_option: activity } : {}),
      }),
      input(F.neededBy.block, 'Needed by', {
        type: 'datepicker',
        action_id: F.neededBy.action,
        ...(v.neededBy ? { initial_date: v.neededBy } : {}),
      }),
      input(F.context.block, 'Context', {
        type: 'plain_text_input',
        action_id: F.context.action,
        multiline: true,
        max_length: LIMITS.context,
        placeholder: plain('What should the reference speak to? What does the prospect worry about?'),
        ...text(v.context),
      }),
      actions('find_matches', [button('Find matches', ACTIONS.findMatches, { v: version })]),
      ...(opts.matches
        ? matchBlocks(opts.matches, {
            title: 'Top matches for these criteria',
            limit: 5,
            choose: { actionId: ACTIONS.chooseMatch, text: 'Choose' },
          })
        : []),
      input(
        versioned(F.preferredContactId.block, version),
        'Preferred reference contact',
        {
          type: 'external_select',
          action_id: F.preferredContactId.action,
          min_query_length: 0,
          placeholder: plain('Search by person or account'),
          ...(opts.preferred ? { initial_option: contactOption(opts.preferred) } : {}),
        },
        { optional: true, hint: 'Fill in the criteria first: the list is ordered by fit.' },
      ),
    ],
  };
}
