import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { InputError, RefdeskError } from '../../../errors';
import { noticeModal } from '../../blocks/decision-modals';
import { parseViewState, type ViewState } from '../../payloads';
import type { ListenerDeps } from '../deps';

export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

type Blocks = Record<string, { block: string }>;

/**
 * The shape every modal submission shares: run the use case before acking, so bad input
 * comes back on the right field (`response_action: "errors"`) and a request that moved
 * on meanwhile replaces the modal with a notice. Nothing is stored unless it all succeeds.
 */
export function submission(
  deps: ListenerDeps,
  fields: Blocks,
  fallbackBlock: string,
  run: (args: ViewArgs, state: ViewState) => Promise<void>,
) {
  return async (args: ViewArgs): Promise<void> => {
    const state = parseViewState(args.view.state.values);
    try {
      await run(args, state);
      await args.ack();
    } catch (error) {
      if (error instanceof InputError) {
        const errors: Record<string, string> = {};
        for (const [field, message] of Object.entries(error.fields)) {
          const block = fields[field]?.block ?? fallbackBlock;
          errors[block] ??= message ?? 'Check this field.';
        }
        await args.ack({ response_action: 'errors', errors });
      } else if (error instanceof RefdeskError) {
        await args.ack({ response_action: 'update', view: noticeModal('Nothing changed', error.message) });
      } else {
        deps.logger.error(`submitting ${args.view.callback_id} failed`, error);
        await args.ack({
          response_action: 'errors',
          errors: { [fallbackBlock]: 'Something went wrong and nothing was saved. Please try again.' },
        });
      }
    }
  };
}
