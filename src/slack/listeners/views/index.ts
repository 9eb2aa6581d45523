import type { App } from '@slack/bolt';
import { VIEWS } from '../../ids.ts';
import type { ListenerDeps } from '../deps.ts';
import { approveSubmission, denySubmission } from './decision-submission.ts';
import {
  contactFormSubmission,
  declineNominationSubmission,
  pauseSubmission,
} from './directory-submissions.ts';
import { outcomeSubmissions } from './outcome-submissions.ts';
import { recruitSubmission } from './recruit-submission.ts';
import { reportSubmission } from './report-submission.ts';
import { requestSubmission } from './request-submission.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.view(VIEWS.request, requestSubmission(deps));
  app.view(VIEWS.approve, approveSubmission(deps));
  app.view(VIEWS.deny, denySubmission(deps));
  // "Done" on `/reference contacts`: nothing to save, the ack closes it.
  app.view(VIEWS.contactsHome, ({ ack }) => ack());
  app.view(VIEWS.contactForm, contactFormSubmission(deps));
  app.view(VIEWS.pauseContact, pauseSubmission(deps));
  app.view(VIEWS.declineNomination, declineNominationSubmission(deps));
  const outcome = outcomeSubmissions(deps);
  app.view(VIEWS.outcome, outcome.held);
  app.view(VIEWS.notHeld, outcome.notHeld);
  app.view(VIEWS.followupDate, outcome.followupDate);
  app.view(VIEWS.deal, outcome.deal);
  app.view(VIEWS.report, reportSubmission(deps));
  app.view(VIEWS.recruit, recruitSubmission(deps));
}
