import type { App } from '@slack/bolt';
import { register as actions } from './actions/index.ts';
import { register as commands } from './commands/index.ts';
import type { ListenerDeps } from './deps.ts';
import { register as events } from './events/index.ts';
import { register as options } from './options/index.ts';
import { register as views } from './views/index.ts';

type Kind = 'command' | 'action' | 'view' | 'options' | 'event';
const KINDS: readonly Kind[] = ['command', 'action', 'view', 'options', 'event'];

/** Registers every listener of every surface, then one catch-all for what none of them handles. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const ids = refuseDuplicateIds(app);
  commands(app, deps);
  events(app, deps);
  actions(app, deps);
  views(app, deps);
  options(app, deps);
  ackTheRest(app, ids);
}

/**
 * Bolt runs every listener whose id matches, so an id registered twice would answer one click
 * twice: refdesk refuses to start instead. Returns the ids registered so far, by kind.
 */
function refuseDuplicateIds(app: App): Record<Kind, Set<string>> {
  const ids = Object.fromEntries(KINDS.map((kind) => [kind, new Set<string>()])) as Record<Kind, Set<string>>;
  for (const kind of KINDS) {
    const register = (app[kind] as (...args: unknown[]) => void).bind(app);
    Object.assign(app, {
      [kind]: (id: unknown, ...listeners: unknown[]) => {
        if (typeof id === 'string') {
          if (ids[kind].has(id)) throw new Error(`two ${kind} listeners for ${id}`);
          ids[kind].add(id);
        }
        register(id, ...listeners);
      },
    });
  }
  return ids;
}

/** Matches any id but the given ones. */
const anyBut = (ids: Set<string>): RegExp =>
  new RegExp(`^(?!(?:${[...ids].map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$)`);

/**
 * What nobody handles (an old button, a foreign command, a closed modal) is acked, so Slack shows
 * no error, and dropped. Events need nothing: Bolt acks them itself.
 */
function ackTheRest(app: App, ids: Record<Kind, Set<string>>): void {
  app.command(anyBut(ids.command), async ({ ack }) => ack());
  app.action(anyBut(ids.action), async ({ ack }) => ack());
  app.view(anyBut(ids.view), async ({ ack }) => ack());
  app.view({ type: 'view_closed' }, async ({ ack }) => ack());
  app.options(anyBut(ids.options), async ({ ack }) => ack({ options: [] }));
}
