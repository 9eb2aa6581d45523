import type { App } from '@slack/bolt';
import { COMMAND } from '../../ids';
import type { ListenerDeps } from '../deps';
import { referenceCommand } from './reference-command';

export function register(app: App, deps: ListenerDeps): void {
  app.command(COMMAND, referenceCommand(deps));
}
