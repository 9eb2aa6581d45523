import type { App } from '@slack/bolt';
import { register as actions } from './actions';
import { register as commands } from './commands';
import type { ListenerDeps } from './deps';
import { register as events } from './events';
import { register as options } from './options';
import { register as views } from './views';

/** Registers every listener of every surface. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  commands(app, deps);
  actions(app, deps);
  views(app, deps);
  options(app, deps);
  events(app, deps);
}
