import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { EventLog } from '../../services/event-log.ts';

/**
 * Slack redelivers an event (same event_id, with X-Slack-Retry-Num) when it did not see our
 * answer in time. Bolt has already acknowledged it; this makes sure its listeners run once.
 */
export function oncePerEvent(events: EventLog): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next, logger }) => {
    const envelope = body as { type?: string; event_id?: string };
    if (envelope.type === 'event_callback' && envelope.event_id) {
      if (!(await events.firstDelivery(envelope.event_id))) {
        logger.debug(`event ${envelope.event_id} was already handled; skipping the redelivery`);
        return;
      }
    }
    await next();
  };
}
