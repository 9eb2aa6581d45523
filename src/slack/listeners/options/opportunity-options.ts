import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import type { PlainTextOption } from '@slack/types';
import { LIMITS } from '../../../domain/request-draft.ts';
import { shortAmount } from '../../blocks/gaps.ts';
import { LIMIT, option } from '../../blocks/kit.ts';
import { type ListenerDeps, logFailure } from '../deps.ts';

type Args = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;

/**
 * The request form's opportunity typeahead (answering is the ack): the rep's open opportunities matching what
 * they typed, by CRM id, and what they typed itself, so a deal missing from the pipeline can still be named.
 */
export function opportunityOptions(deps: ListenerDeps) {
  return async ({ ack, body, options }: Args): Promise<void> => {
    const typed = (options.value ?? '').trim().slice(0, LIMITS.opportunity);
    try {
      const found = await deps.pipeline.openOf(body.user.id, typed, LIMIT.options - 1);
      const deals: PlainTextOption[] = found.map((o) =>
        option(
          [o.opportunityId, o.name, o.account, shortAmount(o.amount, o.currency)].filter(Boolean).join(' · '),
          o.opportunityId,
        ),
      );
      const exact = found.some((o) => o.opportunityId === typed);
      const asTyped = typed && !exact ? [option(`“${typed}” as typed`, typed)] : [];
      await ack({ options: [...deals, ...asTyped] });
    } catch (error) {
      logFailure(deps.logger, 'opportunity typeahead', error);
      await ack({ options: typed ? [option(`“${typed}” as typed`, typed)] : [] });
    }
  };
}
