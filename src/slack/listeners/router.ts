import type {
  AllMiddlewareArgs,
  AnyMiddlewareArgs,
  App,
  SlackAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';

type Handler<Args> = (args: Args & AllMiddlewareArgs) => Promise<void>;
type ActionArgs = SlackActionMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction>;
type OptionArgs = SlackOptionsMiddlewareArgs<'block_suggestion'>;
type CommandArgs = SlackCommandMiddlewareArgs;
type EventArgs = SlackEventMiddlewareArgs;
type Args = AnyMiddlewareArgs & AllMiddlewareArgs;

/**
 * Every request refdesk answers, routed by kind and id from one Bolt middleware. Bolt runs the
 * matching middleware of every registered listener for every request, ahead of the ack; with
 * one entry point a request costs one lookup instead of a chain per listener.
 */
export class ListenerRouter {
  private readonly commands = new Map<string, Handler<CommandArgs>>();
  private readonly events = new Map<string, Handler<EventArgs>>();
  private readonly actions = new Map<string, Handler<ActionArgs>>();
  private readonly views = new Map<string, Handler<ViewArgs>>();
  private readonly suggestions = new Map<string, Handler<OptionArgs>>();

  command(name: string, handler: Handler<CommandArgs>): void {
    add(this.commands, name, handler);
  }

  event<T extends string>(type: T, handler: Handler<SlackEventMiddlewareArgs<T>>): void {
    add(this.events, type, handler as unknown as Handler<EventArgs>);
  }

  action<A extends SlackAction>(actionId: string, handler: Handler<SlackActionMiddlewareArgs<A>>): void {
    add(this.actions, actionId, handler as unknown as Handler<ActionArgs>);
  }

  view(callbackId: string, handler: Handler<ViewArgs>): void {
    add(this.views, callbackId, handler);
  }

  options(actionId: string, handler: Handler<OptionArgs>): void {
    add(this.suggestions, actionId, handler);
  }

  /**
   * Anything without a handler (a stale or foreign id, a kind refdesk does not use) is acked, so
   * Slack shows no error, and dropped. Mount after the global middleware it should run behind.
   */
  mount(app: App): void {
    app.use(async (args) => {
      const handler = this.handlerFor(args);
      if (handler) await handler(args);
      else if ('ack' in args && args.ack) {
        const isSuggestion = (args.body as { type?: string }).type === 'block_suggestion';
        await (isSuggestion
          ? (args as OptionArgs).ack({ options: [] })
          : (args.ack as () => Promise<void>)());
      }
    });
  }

  private handlerFor(args: Args): ((args: Args) => Promise<void>) | undefined {
    const body = args.body as { type?: string; command?: string };
    const actionId = () => (args.payload as { action_id?: string }).action_id ?? '';
    const route = (handler: Handler<never> | undefined) =>
      handler as ((a: Args) => Promise<void>) | undefined;
    if (typeof body.command === 'string') return route(this.commands.get(body.command));
    switch (body.type) {
      case 'event_callback':
        return route(this.events.get((args as EventArgs).event.type));
      case 'block_actions':
        return route(this.actions.get(actionId()));
      case 'view_submission':
        return route(this.views.get((args as ViewArgs).view.callback_id));
      case 'block_suggestion':
        return route(this.suggestions.get(actionId()));
      default:
        return undefined;
    }
  }
}

function add<H>(routes: Map<string, H>, id: string, handler: H): void {
  if (routes.has(id)) throw new Error(`two listeners for ${id}`);
  routes.set(id, handler);
}
