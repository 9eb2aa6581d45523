import { InputError, NotAllowedError } from '../../../errors.ts';
import { decisionMetadataSchema } from '../../blocks/decision-modals.ts';
import { APPROVE_FIELDS, DENY_FIELDS } from '../../ids.ts';
import { fieldValue, fieldValues, parseJson } from '../../payloads.ts';
import { actorOf, type ListenerDeps, ROLE_UNKNOWN } from '../deps.ts';
import { submission, type ViewArgs } from './submission.ts';

const STALE_FORM = 'This form is out of date. Open it again from the card.';

async function decision(deps: ListenerDeps, { body, view }: ViewArgs, field: string) {
  const meta = parseJson(decisionMetadataSchema, view.private_metadata);
  if (!meta) throw new InputError({ [field]: STALE_FORM });
  const actor = await actorOf(deps, body.user.id);
  if (!actor) throw new NotAllowedError(ROLE_UNKNOWN);
  return { actor, requestId: meta.requestId };
}

export function approveSubmission(deps: ListenerDeps) {
  return submission(deps, APPROVE_FIELDS, APPROVE_FIELDS.contact.block, async (args, state) => {
    const { actor, requestId } = await decision(deps, args, 'contact');
    const ask = await deps.requests.decide.approve(actor, requestId, {
      contact: fieldValue(state, APPROVE_FIELDS.contact),
      note: fieldValue(state, APPROVE_FIELDS.note),
      overrideReason: fieldValue(state, APPROVE_FIELDS.overrideReason),
    });
    // Reminders count business days on the owner's calendar: learn their time zone (in the background).
    void deps.timeZones.refresh(ask.ownerId);
  });
}

export function denySubmission(deps: ListenerDeps) {
  return submission(deps, DENY_FIELDS, DENY_FIELDS.reason.block, async (args, state) => {
    const { actor, requestId } = await decision(deps, args, 'reason');
    await deps.requests.decide.deny(actor, requestId, {
      reason: fieldValue(state, DENY_FIELDS.reason),
      noSuitableReference: fieldValues(state, DENY_FIELDS.noSuitableReference).includes('yes'),
    });
  });
}
