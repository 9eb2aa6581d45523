import type { OwnerAnswer } from '../../../domain/vocabulary.ts';
import { askButtonSchema } from '../../payloads.ts';
import type { ListenerDeps } from '../deps.ts';
import { buttonHandler } from './button.ts';

/** They agreed / They declined / Can't ask now: on the nudge, a reminder, the Home tab or an escalation. */
export function ownerAnswer(deps: ListenerDeps, answer: OwnerAnswer) {
  return buttonHandler(deps, askButtonSchema, 'recording your answer', async ({ actor, value }) => {
    await deps.requests.answer.answer(actor, value.askId, answer);
  });
}

/** "Remind me in 2 days". */
export function snoozeReminder(deps: ListenerDeps) {
  return buttonHandler(deps, askButtonSchema, 'snoozing the reminder', async ({ actor, value, tell }) => {
    const until = await deps.lifecycle.snooze(actor, value.askId);
    const seconds = Math.floor(Date.parse(until) / 1000);
    await tell(
      `OK, I will not remind you before <!date^${seconds}^{date_short_pretty} at {time}|${until.slice(0, 16)} UTC>.`,
    );
  });
}
