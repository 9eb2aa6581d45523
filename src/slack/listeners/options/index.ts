import type { App } from '@slack/bolt';
import { CONTACT_SELECT, DIRECTORY_SEARCH, REQUEST_FIELDS } from '../../ids.ts';
import type { ListenerDeps } from '../deps.ts';
import { contactOptions, directoryOptions } from './contact-options.ts';
import { opportunityOptions } from './opportunity-options.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.options(CONTACT_SELECT, contactOptions(deps));
  app.options(DIRECTORY_SEARCH, directoryOptions(deps));
  app.options(REQUEST_FIELDS.opportunity.action, opportunityOptions(deps));
}
