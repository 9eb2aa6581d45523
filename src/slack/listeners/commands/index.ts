import type { App } from '@slack/bolt';
import { COMMAND } from '../../ids.ts';
import type { ListenerDeps } from '../deps.ts';
import { referenceCommand } from './reference-command.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.command(COMMAND, referenceCommand(deps));
}
