import type { App } from '@slack/bolt';
import { register as actions } from './actions/index.ts';
import { register as commands } from './commands/index.ts';
import type { ListenerDeps } from './deps.ts';
import { register as events } from './events/index.ts';
import { register as options } from './options/index.ts';
import { ListenerRouter } from './router.ts';
import { register as views } from './views/index.ts';

/** Registers every listener of every surface. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const router = new ListenerRouter();
  commands(router, deps);
  events(router, deps);
  actions(router, deps);
  views(router, deps);
  options(router, deps);
  router.mount(app);
}
