import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import type { PlainTextOption } from '@slack/types';
import { criteriaOf } from '../../../services/match-service.ts';
import { contactOption, suggestionOption } from '../../blocks/contact-option.ts';
import { decisionMetadataSchema } from '../../blocks/decision-modals.ts';
import { directoryOption } from '../../blocks/directory-views.ts';
import { LIMIT } from '../../blocks/kit.ts';
import { VIEWS } from '../../ids.ts';
import { parseJson, parseViewState } from '../../payloads.ts';
import { formCriteria, readRequestForm } from '../../request-form.ts';
import { actorOf, type ListenerDeps, logFailure } from '../deps.ts';

type Args = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;

/**
 * The contact typeahead, answered from the in-memory index (answering is the ack). In the
 * approve modal and in a request form with an activity, contacts are ordered by fit for that
 * request; elsewhere by name.
 */
export function contactOptions(deps: ListenerDeps) {
  const limit = LIMIT.options;
  return async ({ ack, body, options }: Args): Promise<void> => {
    const text = options.value ?? '';
    const view = (
      body as { view?: { callback_id?: string; private_metadata?: string; state?: { values?: unknown } } }
    ).view;
    try {
      let found: PlainTextOption[];
      const meta =
        view?.callback_id === VIEWS.approve ? parseJson(decisionMetadataSchema, view.private_metadata) : null;
      const formFit =
        view?.callback_id === VIEWS.request
          ? formCriteria(readRequestForm(parseViewState(view.state?.values)))
          : null;
      if (meta) {
        const { request } = await deps.requests.queries.details(meta.requestId);
        found = (await deps.matches.typeahead(criteriaOf(request), text, limit)).map(suggestionOption);
      } else if (formFit) {
        found = (await deps.matches.typeahead(formFit, text, limit)).map(suggestionOption);
      } else {
        found = (await deps.matches.search(text, limit, { activeOnly: true })).map((c) => contactOption(c));
      }
      await ack({ options: found });
    } catch (error) {
      logFailure(deps.logger, 'contact typeahead', error);
      await ack({ options: [] });
    }
  };
}

/**
 * The directory's own search: every contact by name or account, with their status. Managers only, like
 * the directory itself: anyone else (or anyone while roles cannot be checked) gets no options.
 */
export function directoryOptions(deps: ListenerDeps) {
  return async ({ ack, body, options }: Args): Promise<void> => {
    try {
      const actor = await actorOf(deps, body.user.id);
      if (!actor) return void (await ack({ options: [] }));
      deps.directory.authorize(actor);
      const found = await deps.matches.search(options.value ?? '', LIMIT.options, { activeOnly: false });
      await ack({ options: found.map(directoryOption) });
    } catch (error) {
      logFailure(deps.logger, 'directory search', error);
      await ack({ options: [] });
    }
  };
}
