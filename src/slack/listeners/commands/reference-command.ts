import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { parseRequestRef, requestRef } from '../../../domain/reference.ts';
import type { DirectoryFacets } from '../../../domain/request-draft.ts';
import { NotAllowedError } from '../../../errors.ts';
import { helpMessage, plainReply, statusMessage } from '../../blocks/command-replies.ts';
import { contactForm, contactsHome } from '../../blocks/directory-views.ts';
import { requestModal } from '../../blocks/request-modal.ts';
import { COMMAND } from '../../ids.ts';
import { escapeText } from '../../mrkdwn.ts';
import { actorOf, errorText, type ListenerDeps, ROLE_UNKNOWN } from '../deps.ts';
import { openGaps } from './gaps-command.ts';
import { openReport } from './report-command.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/reference [status | cancel REF-12 | report | gaps | help]`: every reply is ephemeral. */
export function referenceCommand(deps: ListenerDeps) {
  // The blank request form only changes with the directory's facets (which the service caches) and whether a
  // pipeline is loaded: build it once per both.
  let blankForm: { facets: DirectoryFacets; typeahead: boolean; view: ModalView } | null = null;
  const requestForm = (facets: DirectoryFacets, typeahead: boolean): ModalView => {
    if (blankForm?.facets !== facets || blankForm.typeahead !== typeahead)
      blankForm = { facets, typeahead, view: requestModal(facets, { opportunityTypeahead: typeahead }) };
    return blankForm.view;
  };
  return async (args: Args): Promise<void> => {
    const { command, ack, respond, client } = args;
    const [sub = '', ...rest] = command.text.trim().split(/\s+/);
    const openModal = async (view: ModalView, what: string) => {
      try {
        await client.views.open({ trigger_id: command.trigger_id, view });
      } catch (error) {
        await respond({ response_type: 'ephemeral', ...plainReply(errorText(deps, error, what)) });
      }
    };
    switch (sub.toLowerCase()) {
      case '':
        await ack();
        try {
          const [facets, typeahead] = await Promise.all([
            deps.requests.queries.facets(),
            deps.pipeline.loaded(),
          ]);
          await client.views.open({ trigger_id: command.trigger_id, view: requestForm(facets, typeahead) });
        } catch (error) {
          await respond({
            response_type: 'ephemeral',
            ...plainReply(errorText(deps, error, 'opening the request form')),
          });
        }
        // Learn the rep's time zone now, so "needed by today" is checked on their calendar.
        await deps.timeZones.refresh(command.user_id);
        return;
      case 'contacts': {
        await ack();
        const actor = await actorOf(deps, command.user_id);
        try {
          if (!actor) throw new NotAllowedError(ROLE_UNKNOWN);
          deps.directory.authorize(actor);
        } catch (error) {
          const hint = actor ? ` To propose a customer contact, use \`${COMMAND} nominate\`.` : '';
          await respond({
            response_type: 'ephemeral',
            ...plainReply(errorText(deps, error, 'opening the directory') + hint),
          });
          return;
        }
        await openModal(contactsHome(), 'opening the directory');
        return;
      }
      case 'nominate':
        await ack();
        await openModal(
          contactForm('nominate', null, { mode: 'nominate', contactId: null, nominationId: null }),
          'opening the nomination form',
        );
        return;
      case 'report':
        await ack();
        await openReport(deps, args);
        return;
      case 'gaps':
        await ack();
        await openGaps(deps, args);
        return;
      case 'help':
        await ack({ response_type: 'ephemeral', ...helpMessage() });
        return;
      case 'status': {
        await ack();
        const reply = await deps.requests.queries
          .listMine(command.user_id)
          .then(statusMessage)
          .catch((error: unknown) => plainReply(errorText(deps, error, 'listing your asks')));
        await respond({ response_type: 'ephemeral', ...reply });
        return;
      }
      case 'cancel': {
        const id = parseRequestRef(rest.join(' '));
        if (id === null) {
          await ack({
            response_type: 'ephemeral',
            ...plainReply(`Tell me which ask to cancel, e.g. \`${COMMAND} cancel REF-12\`.`),
          });
          return;
        }
        await ack();
        const reply = await deps.requests.close
          .cancel({ id: command.user_id, isManager: false }, id)
          .then((r) =>
            plainReply(
              `${requestRef(r.id)} for *${escapeText(r.prospect)}* is cancelled. Everyone involved has been told.`,
            ),
          )
          .catch((error: unknown) => plainReply(errorText(deps, error, 'cancelling your ask')));
        await respond({ response_type: 'ephemeral', ...reply });
        return;
      }
      default:
        await ack({
          response_type: 'ephemeral',
          ...helpMessage(`I don't know \`${escapeText(sub.slice(0, 50))}\`. Here is what I can do:`),
        });
    }
  };
}
