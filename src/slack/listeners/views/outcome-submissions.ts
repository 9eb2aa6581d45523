import { NotAllowedError } from '../../../errors.ts';
import { noticeModal } from '../../blocks/decision-modals.ts';
import { OUTCOME_FIELDS as F, requestValueSchema } from '../../blocks/lifecycle-messages.ts';
import { fieldValue, parseJson, type ViewState } from '../../payloads.ts';
import { actorOf, type ListenerDeps, ROLE_UNKNOWN } from '../deps.ts';
import { submission, type ViewArgs } from './submission.ts';

type Run = (
  deps: ListenerDeps,
  actor: { id: string; isManager: boolean },
  requestId: number,
  state: ViewState,
  args: ViewArgs,
) => Promise<void>;

/** A rep's follow-up form: who submits is checked again by the service; nothing is stored half-way. */
function outcomeSubmission(deps: ListenerDeps, fallback: string, run: Run) {
  return submission(deps, F, fallback, async (args, state) => {
    const meta = parseJson(requestValueSchema, args.view.private_metadata);
    if (!meta)
      return { response_action: 'update', view: noticeModal('Nothing changed', 'This form is out of date.') };
    const actor = await actorOf(deps, args.body.user.id);
    if (!actor) throw new NotAllowedError(ROLE_UNKNOWN);
    await run(deps, actor, meta.requestId, state, args);
  });
}

export const outcomeSubmissions = (deps: ListenerDeps) => ({
  held: outcomeSubmission(deps, F.rating.block, (d, actor, requestId, state) =>
    d.requests.outcome.held(actor, requestId, {
      rating: fieldValue(state, F.rating),
      helped: fieldValue(state, F.helped),
      movedDeal: fieldValue(state, F.movedDeal),
    }),
  ),
  notHeld: outcomeSubmission(deps, F.whyNot.block, (d, actor, requestId, state) =>
    d.requests.outcome.notHeld(actor, requestId, { whyNot: fieldValue(state, F.whyNot) }),
  ),
  followupDate: outcomeSubmission(deps, F.followupOn.block, async (d, actor, requestId, state, args) =>
    d.requests.outcome.followupOn(
      actor,
      requestId,
      { followupOn: fieldValue(state, F.followupOn) },
      await d.timeZones.known(args.body.user.id),
    ),
  ),
  deal: outcomeSubmission(deps, F.result.block, (d, actor, requestId, state) =>
    d.requests.outcome.deal(actor, requestId, {
      result: fieldValue(state, F.result),
      amount: fieldValue(state, F.amount),
    }),
  ),
});
