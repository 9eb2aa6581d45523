import type { App } from '@slack/bolt';
import { CONTACT_SELECT, DIRECTORY_SEARCH } from '../../ids.ts';
import type { ListenerDeps } from '../deps.ts';
import { contactOptions, directoryOptions } from './contact-options.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.options({ action_id: CONTACT_SELECT, type: 'block_suggestion' }, contactOptions(deps));
  app.options({ action_id: DIRECTORY_SEARCH, type: 'block_suggestion' }, directoryOptions(deps));
}
