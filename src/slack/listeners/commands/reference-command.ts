import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseRequestRef, requestRef } from '../../../domain/reference';
import { helpMessage, plainReply, statusMessage } from '../../blocks/command-replies';
import { requestModal } from '../../blocks/request-modal';
import { COMMAND } from '../../ids';
import { escapeText } from '../../mrkdwn';
import { errorText, type ListenerDeps } from '../deps';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/reference [status | cancel REF-12 | help]`: every reply is ephemeral. */
export function referenceCommand(deps: ListenerDeps) {
  return async ({ command, ack, respond, client }: Args): Promise<void> => {
    const [sub = '', ...rest] = command.text.trim().split(/\s+/);
    switch (sub.toLowerCase()) {
      case '':
        await ack();
        try {
          const facets = await deps.requests.facets();
          await client.views.open({ trigger_id: command.trigger_id, view: requestModal(facets) });
        } catch (error) {
          await respond({
            response_type: 'ephemeral',
            ...plainReply(errorText(deps, error, 'opening the request form')),
          });
        }
        // Learn the rep's time zone now, so "needed by today" is checked on their calendar.
        await deps.timeZones.refresh(command.user_id);
        return;
      case 'help':
        await ack({ response_type: 'ephemeral', ...helpMessage() });
        return;
      case 'status': {
        await ack();
        const reply = await deps.requests
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
        const reply = await deps.requests
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
