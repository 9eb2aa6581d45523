import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { MatchResult } from '../../../domain/matching.ts';
import { decisionMetadataSchema } from '../../blocks/decision-modals.ts';
import { requestMetadataSchema, requestModal } from '../../blocks/request-modal.ts';
import { APPROVE_FIELDS } from '../../ids.ts';
import { fieldValue, parseJson, parseViewState } from '../../payloads.ts';
import { formCriteria, readRequestForm } from '../../request-form.ts';
import { buildApproveModal } from '../approve-view.ts';
import { actorOf, errorText, type ListenerDeps, ROLE_UNKNOWN } from '../deps.ts';
import { privateReply } from './button.ts';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

const contactButtonSchema = z.object({ contactId: z.number().int().positive() });

const NO_ACTIVITY: MatchResult = {
  suggestions: [],
  relaxed: { filter: 'activity', message: 'Pick the activity first: matches depend on it.' },
  unmet: [],
  eligibleCount: 0,
};

/**
 * Tells the user why their modal did not change. A `hash_conflict` only means they changed the
 * modal meanwhile, which already shows what they did: nothing to say.
 */
async function explain(deps: ListenerDeps, args: Args, error: unknown, what: string): Promise<void> {
  if ((error as { data?: { error?: string } }).data?.error === 'hash_conflict') return;
  await privateReply(args)(errorText(deps, error, what));
}

/** The view a block action came from, with its id and hash (so a stale update is refused by Slack). */
function viewOf(body: BlockAction) {
  const view = body.view;
  if (!view) return null;
  return {
    id: view.id,
    hash: view.hash,
    metadata: view.private_metadata,
    state: parseViewState(view.state?.values),
  };
}

/**
 * "Find matches" and "Choose" in the request modal: rank contacts for what the rep filled in
 * so far and show them in the modal; choosing one makes it the preferred contact.
 */
export function requestModalMatches(deps: ListenerDeps, mode: 'find' | 'choose') {
  return async (args: Args): Promise<void> => {
    const { ack, body, action, client } = args;
    await ack();
    const view = viewOf(body);
    if (!view) return;
    try {
      const meta = parseJson(requestMetadataSchema, view.metadata) ?? { v: 0 };
      const values = readRequestForm(view.state);
      const criteria = formCriteria(values);
      const matches = criteria ? await deps.matches.suggest(criteria, 5) : NO_ACTIVITY;
      let version = meta.v;
      let preferred = null;
      if (mode === 'choose') {
        const chosen = parseJson(contactButtonSchema, 'value' in action ? action.value : undefined);
        const contact = chosen
          ? matches.suggestions.find((s) => s.contact.id === chosen.contactId)?.contact
          : undefined;
        if (contact) {
          preferred = contact;
          version++;
        }
      }
      const facets = await deps.requests.queries.facets();
      const opportunityTypeahead = await deps.pipeline.loaded();
      await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: requestModal(facets, { values, matches, preferred, version, opportunityTypeahead }),
      });
    } catch (error) {
      await explain(deps, args, error, 'showing matches');
    }
  };
}

/**
 * In the approve modal: "Choose" on a top match, or picking a contact in the typeahead,
 * shows how that contact fits (and whether an override is needed).
 */
export function approveModalContact(deps: ListenerDeps, mode: 'choose' | 'picked') {
  return async (args: Args): Promise<void> => {
    const { ack, body, action, client } = args;
    await ack();
    const view = viewOf(body);
    const meta = view && parseJson(decisionMetadataSchema, view.metadata);
    if (!view || !meta) return;
    const actor = await actorOf(deps, body.user.id);
    if (!actor) return void (await privateReply(args)(ROLE_UNKNOWN));
    try {
      const details = await deps.requests.queries.decidable(actor, meta.requestId);
      let chosenId: number | null;
      let version = meta.v;
      if (mode === 'choose') {
        chosenId =
          parseJson(contactButtonSchema, 'value' in action ? action.value : undefined)?.contactId ?? null;
        version++;
      } else {
        const picked = (action as { selected_option?: { value?: string } | null }).selected_option?.value;
        chosenId = Number(picked ?? fieldValue(view.state, APPROVE_FIELDS.contact)) || null;
      }
      const modal = await buildApproveModal(deps, details, { chosenId, version });
      await client.views.update({ view_id: view.id, hash: view.hash, view: modal });
    } catch (error) {
      await explain(deps, args, error, 'updating the approve form');
    }
  };
}
