import { REQUEST_FIELDS as F } from '../../ids';
import { fieldValue, fieldValues } from '../../payloads';
import type { ListenerDeps } from '../deps';
import { submission } from './submission';

/** "Request a reference" submitted: store the ask; the DM and the card follow from the outbox. */
export function requestSubmission(deps: ListenerDeps) {
  return submission(deps, F, F.prospect.block, async ({ body }, state) => {
    const input = {
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
    await deps.requests.submit(body.user.id, input, await deps.timeZones.known(body.user.id));
  });
}
