import { CONTACT_SELECT, DIRECTORY_SEARCH } from '../../ids.ts';
import type { ListenerDeps } from '../deps.ts';
import type { ListenerRouter } from '../router.ts';
import { contactOptions, directoryOptions } from './contact-options.ts';

export function register(router: ListenerRouter, deps: ListenerDeps): void {
  router.options(CONTACT_SELECT, contactOptions(deps));
  router.options(DIRECTORY_SEARCH, directoryOptions(deps));
}
