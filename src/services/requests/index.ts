import { AnswerAsk } from './answer-ask.ts';
import { CloseRequest } from './close-request.ts';
import { DecideRequest } from './decide-request.ts';
import { ReportOutcome } from './report-outcome.ts';
import { RequestQueries } from './request-queries.ts';
import type { RequestDeps } from './request-use-case.ts';
import { SubmitRequest } from './submit-request.ts';

export type { RequestDetails } from './request-details.ts';
export type { Actor, RequestDeps } from './request-use-case.ts';
export { SYSTEM_ACTOR } from './request-use-case.ts';

/** The core loop's use cases, one slice each: ask, decide, owner's answer, close, outcome; and the reads. */
export function requestUseCases(deps: RequestDeps) {
  const queries = new RequestQueries(deps);
  return {
    queries,
    submit: new SubmitRequest(deps, queries),
    decide: new DecideRequest(deps),
    answer: new AnswerAsk(deps),
    close: new CloseRequest(deps),
    outcome: new ReportOutcome(deps),
  };
}
export type RequestUseCases = ReturnType<typeof requestUseCases>;
