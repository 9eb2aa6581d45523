import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { InputError, NotAllowedError, RefdeskError } from '../../../errors.ts';
import type { Actor } from '../../../services/requests/index.ts';
import { noticeModal } from '../../blocks/decision-modals.ts';
import { unversioned } from '../../ids.ts';
import { mention } from '../../mrkdwn.ts';
import { parseViewState, type ViewState } from '../../payloads.ts';
import { actorOf, type ListenerDeps, logFailure, ROLE_UNKNOWN } from '../deps.ts';

export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

type Blocks = Record<string, { block: string }>;

/** What a successful submission may answer instead of closing the modal. */
export type ViewOutput =
  | { response_action: 'update' | 'push'; view: ModalView }
  | { response_action: 'clear' };

/**
 * The id the view gives a field's block: a versioned one (`contact~1`) once refdesk set the field
 * itself. Slack shows an error only on a block the view has; on any other id it fails the whole form.
 */
function blockInView(view: ViewArgs['view'], block: string): string {
  const ids = [...(view.blocks ?? []).map((b) => b.block_id), ...Object.keys(view.state?.values ?? {})];
  return ids.find((id) => id !== undefined && unversioned(id) === block) ?? block;
}

/**
 * The shape every modal submission shares: run the use case before acking, so bad input
 * comes back on the right field (`response_action: "errors"`) and a request that moved
 * on meanwhile replaces the modal with a notice. Nothing is stored unless it all succeeds.
 */
export function submission(
  deps: ListenerDeps,
  fields: Blocks,
  fallbackBlock: string,
  // biome-ignore lint/suspicious/noConfusingVoidType: most use cases return nothing; some answer with a view.
  run: (args: ViewArgs, state: ViewState) => Promise<void | ViewOutput>,
) {
  return async (args: ViewArgs): Promise<void> => {
    const state = parseViewState(args.view.state.values);
    try {
      const output = await run(args, state);
      await args.ack(output ?? undefined);
    } catch (error) {
      logFailure(deps.logger, `submitting ${args.view.callback_id}`, error);
      if (error instanceof InputError) {
        const errors: Record<string, string> = {};
        for (const [field, message] of Object.entries(error.fields)) {
          const block = blockInView(args.view, fields[field]?.block ?? fallbackBlock);
          errors[block] ??= message ?? 'Check this field.';
        }
        await args.ack({ response_action: 'errors', errors });
      } else if (error instanceof RefdeskError) {
        await args.ack({
          response_action: 'update',
          view: noticeModal('Nothing changed', error.describe(mention)),
        });
      } else {
        await args.ack({
          response_action: 'errors',
          errors: { [fallbackBlock]: 'Something went wrong and nothing was saved. Please try again.' },
        });
      }
    }
  };
}

/** Who submitted the form, with their role checked on the server; refused when Slack cannot tell us. */
export async function submitter(deps: ListenerDeps, args: ViewArgs): Promise<Actor> {
  const found = await actorOf(deps, args.body.user.id);
  if (!found) throw new NotAllowedError(ROLE_UNKNOWN);
  return found;
}
