import type { ModalView, PlainTextOption } from '@slack/types';
import type { ContactProfile } from '../../domain/reference';
import { type DirectoryFacets, LIMITS } from '../../domain/request-draft';
import { ACTIVITIES, SENIORITIES } from '../../domain/vocabulary';
import { REQUEST_FIELDS as F, VIEWS } from '../ids';
import { contactOption } from './contact-option';
import { input, LIMIT, option, plain } from './kit';

const options = (values: readonly string[]): PlainTextOption[] =>
  values.slice(0, LIMIT.options).map((v) => option(v, v));

const entries = (labels: Record<string, string>): PlainTextOption[] =>
  Object.entries(labels).map(([value, text]) => option(text, value));

/** A static select, or nothing when the directory has no values for it yet (Slack rejects empty selects). */
function facetSelect(field: keyof typeof F, label: string, values: readonly string[], multi = false) {
  if (values.length === 0) return [];
  const { block, action } = F[field];
  const element = multi
    ? {
        type: 'multi_static_select' as const,
        action_id: action,
        options: options(values),
        placeholder: plain('Any'),
      }
    : {
        type: 'static_select' as const,
        action_id: action,
        options: options(values),
        placeholder: plain('Any'),
      };
  return [input(block, label, element, { optional: true })];
}

/** The "Request a reference" modal a rep gets from `/reference`. */
export function requestModal(facets: DirectoryFacets, preferred?: ContactProfile | null): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.request,
    title: plain('Request a reference', LIMIT.modalTitle),
    submit: plain('Submit', LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    private_metadata: '{}',
    blocks: [
      input(F.prospect.block, 'Prospect company', {
        type: 'plain_text_input',
        action_id: F.prospect.action,
        max_length: LIMITS.prospect,
        placeholder: plain('e.g. Globex Corp'),
      }),
      input(
        F.opportunity.block,
        'Opportunity name or CRM id',
        { type: 'plain_text_input', action_id: F.opportunity.action, max_length: LIMITS.opportunity },
        { optional: true },
      ),
      input(
        F.amount.block,
        'Opportunity amount',
        { type: 'number_input', action_id: F.amount.action, is_decimal_allowed: true, min_value: '0' },
        { optional: true },
      ),
      ...facetSelect('industry', 'Industry', facets.industries),
      ...facetSelect('products', 'Products', facets.products, true),
      ...facetSelect('region', 'Region', facets.regions),
      ...facetSelect('companySize', 'Company size', facets.companySizes),
      input(
        F.seniority.block,
        "Prospect contact's seniority",
        { type: 'static_select', action_id: F.seniority.action, options: entries(SENIORITIES) },
        { optional: true, hint: 'We look for a peer at the same level.' },
      ),
      input(F.activity.block, 'Activity', {
        type: 'static_select',
        action_id: F.activity.action,
        options: entries(ACTIVITIES),
        placeholder: plain('What should the reference do?'),
      }),
      input(F.neededBy.block, 'Needed by', { type: 'datepicker', action_id: F.neededBy.action }),
      input(F.context.block, 'Context', {
        type: 'plain_text_input',
        action_id: F.context.action,
        multiline: true,
        max_length: LIMITS.context,
        placeholder: plain('What should the reference speak to? What does the prospect worry about?'),
      }),
      input(
        F.preferredContactId.block,
        'Preferred reference contact',
        {
          type: 'external_select',
          action_id: F.preferredContactId.action,
          min_query_length: 0,
          placeholder: plain('Search by person or account'),
          ...(preferred ? { initial_option: contactOption(preferred) } : {}),
        },
        { optional: true },
      ),
    ],
  };
}
