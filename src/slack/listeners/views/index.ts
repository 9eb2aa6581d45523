import { VIEWS } from '../../ids.ts';
import type { ListenerDeps } from '../deps.ts';
import type { ListenerRouter } from '../router.ts';
import { approveSubmission, denySubmission } from './decision-submission.ts';
import {
  contactFormSubmission,
  declineNominationSubmission,
  pauseSubmission,
} from './directory-submissions.ts';
import { outcomeSubmissions } from './outcome-submissions.ts';
import { requestSubmission } from './request-submission.ts';

export function register(router: ListenerRouter, deps: ListenerDeps): void {
  router.view(VIEWS.request, requestSubmission(deps));
  router.view(VIEWS.approve, approveSubmission(deps));
  router.view(VIEWS.deny, denySubmission(deps));
  // "Done" on `/reference contacts`: nothing to save, the ack closes it.
  router.view(VIEWS.contactsHome, ({ ack }) => ack());
  router.view(VIEWS.contactForm, contactFormSubmission(deps));
  router.view(VIEWS.pauseContact, pauseSubmission(deps));
  router.view(VIEWS.declineNomination, declineNominationSubmission(deps));
  const outcome = outcomeSubmissions(deps);
  router.view(VIEWS.outcome, outcome.held);
  router.view(VIEWS.notHeld, outcome.notHeld);
  router.view(VIEWS.followupDate, outcome.followupDate);
  router.view(VIEWS.deal, outcome.deal);
}
