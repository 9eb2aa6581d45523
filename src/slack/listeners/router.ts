import type {
  AllMiddlewareArgs,
  App,
  SlackAction,
  SlackActionMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';

type Handler<Args> = (args: Args & AllMiddlewareArgs) => Promise<void>;
type ActionArgs = SlackActionMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction>;
type OptionArgs = SlackOptionsMiddlewareArgs<'block_suggestion'>;

/**
 * Block actions, view submissions and block suggestions, each routed to its handler by id from
 * one Bolt listener per kind. Bolt runs every registered listener's matching middleware for
 * every request, ahead of the ack: with forty listeners that was forty chains per click.
 */
export class ListenerRouter {
  private readonly actions = new Map<string, Handler<ActionArgs>>();
  private readonly views = new Map<string, Handler<ViewArgs>>();
  private readonly suggestions = new Map<string, Handler<OptionArgs>>();

  action<A extends SlackAction>(actionId: string, handler: Handler<SlackActionMiddlewareArgs<A>>): void {
    add(this.actions, actionId, handler as unknown as Handler<ActionArgs>);
  }

  view(callbackId: string, handler: Handler<ViewArgs>): void {
    add(this.views, callbackId, handler);
  }

  options(actionId: string, handler: Handler<OptionArgs>): void {
    add(this.suggestions, actionId, handler);
  }

  /** Anything without a handler (a stale or foreign id) is acked, so Slack shows no error, and dropped. */
  mount(app: App): void {
    app.action({ type: 'block_actions' }, async (args) => {
      const handler = this.actions.get(args.payload.action_id);
      if (handler) await handler(args);
      else await args.ack();
    });
    app.view<ViewSubmitAction>({ type: 'view_submission' }, async (args) => {
      const handler = this.views.get(args.view.callback_id);
      if (handler) await handler(args);
      else await args.ack();
    });
    app.options<'block_suggestion'>({ type: 'block_suggestion' }, async (args) => {
      const handler = this.suggestions.get(args.payload.action_id);
      if (handler) await handler(args);
      else await args.ack({ options: [] });
    });
  }
}

function add<H>(routes: Map<string, H>, id: string, handler: H): void {
  if (routes.has(id)) throw new Error(`two listeners for ${id}`);
  routes.set(id, handler);
}
