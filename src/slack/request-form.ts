import type { MatchCriteria } from '../domain/matching.ts';
import { ACTIVITY_KEYS, type Activity, SENIORITY_KEYS, type Seniority } from '../domain/vocabulary.ts';
import type { RequestFormValues } from './blocks/request-modal.ts';
import { REQUEST_FIELDS as F } from './ids.ts';
import { fieldValue, fieldValues, type ViewState } from './payloads.ts';

/** The request modal's values as Slack sent them back. */
export function readRequestForm(state: ViewState): RequestFormValues {
  return {
    prospect: fieldValue(state, F.prospect),
    opportunity: fieldValue(state, F.opportunity),
    amount: fieldValue(state, F.amount),
    industry: fieldValue(state, F.industry),
    products: fieldValues(state, F.products),
    region: fieldValue(state, F.region),
    companySize: fieldValue(state, F.companySize),
    seniority: fieldValue(state, F.seniority),
    activity: fieldValue(state, F.activity),
    neededBy: fieldValue(state, F.neededBy),
    context: fieldValue(state, F.context),
    preferredContactId: fieldValue(state, F.preferredContactId),
  };
}

/** Matching criteria from a half-filled form; null until an activity is picked. */
export function formCriteria(v: RequestFormValues): MatchCriteria | null {
  if (!v.activity || !(ACTIVITY_KEYS as string[]).includes(v.activity)) return null;
  const seniority =
    v.seniority && (SENIORITY_KEYS as string[]).includes(v.seniority) ? (v.seniority as Seniority) : null;
  return {
    activity: v.activity as Activity,
    industry: v.industry,
    products: v.products,
    region: v.region,
    companySize: v.companySize,
    seniority,
    prospect: v.prospect?.trim() || null,
  };
}
