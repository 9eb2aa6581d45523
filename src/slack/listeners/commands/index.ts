import { COMMAND } from '../../ids.ts';
import type { ListenerDeps } from '../deps.ts';
import type { ListenerRouter } from '../router.ts';
import { referenceCommand } from './reference-command.ts';

export function register(router: ListenerRouter, deps: ListenerDeps): void {
  router.command(COMMAND, referenceCommand(deps));
}
