import type { App } from '@slack/bolt';
import { CONTACT_SELECT, DIRECTORY_SEARCH } from '../../ids.ts';
import type { ListenerDeps } from '../deps.ts';
import { contactOptions, directoryOptions } from './contact-options.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.options(CONTACT_SELECT, contactOptions(deps));
  app.options(DIRECTORY_SEARCH, directoryOptions(deps));
}
