import type { App } from '@slack/bolt';
import { VIEWS } from '../../ids';
import type { ListenerDeps } from '../deps';
import { approveSubmission, denySubmission } from './decision-submission';
import { requestSubmission } from './request-submission';

export function register(app: App, deps: ListenerDeps): void {
  app.view(VIEWS.request, requestSubmission(deps));
  app.view(VIEWS.approve, approveSubmission(deps));
  app.view(VIEWS.deny, denySubmission(deps));
}
