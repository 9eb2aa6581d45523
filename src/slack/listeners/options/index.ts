import type { App } from '@slack/bolt';
import { CONTACT_SELECT } from '../../ids';
import type { ListenerDeps } from '../deps';
import { contactOptions } from './contact-options';

export function register(app: App, deps: ListenerDeps): void {
  app.options({ action_id: CONTACT_SELECT, type: 'block_suggestion' }, contactOptions(deps));
}
