import { REQUEST_FIELDS as F } from '../../ids.ts';
import { readRequestForm } from '../../request-form.ts';
import type { ListenerDeps } from '../deps.ts';
import { submission } from './submission.ts';

/** "Request a reference" submitted: store the ask; the DM and the card follow from the outbox. */
export function requestSubmission(deps: ListenerDeps) {
  return submission(deps, F, F.prospect.block, async ({ body, view }, state) => {
    await deps.requests.submit.submit(
      body.user.id,
      readRequestForm(state),
      await deps.timeZones.known(body.user.id),
      view.id,
    );
  });
}
