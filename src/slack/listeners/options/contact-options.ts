import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { contactOption } from '../../blocks/contact-option';
import { LIMIT } from '../../blocks/kit';
import type { ListenerDeps } from '../deps';

type Args = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;

/** The contact typeahead: active contacts by person or account name. Answering is the ack. */
export function contactOptions(deps: ListenerDeps) {
  return async ({ ack, options }: Args): Promise<void> => {
    try {
      const contacts = await deps.directory.searchContacts(options.value ?? '', LIMIT.options);
      await ack({ options: contacts.map(contactOption) });
    } catch (error) {
      deps.logger.error('contact typeahead failed', error);
      await ack({ options: [] });
    }
  };
}
