import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { denyModal } from '../../blocks/decision-modals.ts';
import { ACTIONS, CONTACT_SELECT, DIRECTORY_SEARCH, REPORT_FIELDS } from '../../ids.ts';
import { buildApproveModal } from '../approve-view.ts';
import type { ListenerDeps } from '../deps.ts';
import { decisionClick } from './decision-click.ts';
import { directoryActions, nominationClick } from './directory-actions.ts';
import { approveModalContact, requestModalMatches } from './match-actions.ts';
import { cancelRequest, outcomeForms } from './outcome-actions.ts';
import { ownerAnswer, snoozeReminder } from './owner-answer.ts';
import { register as recruiting } from './recruit-actions.ts';
import { PICKER_FIELDS, reportPickerChange } from './report-period.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.approve,
    decisionClick(deps, (details) => buildApproveModal(deps, details)),
  );
  app.action<BlockAction<ButtonAction>>(ACTIONS.deny, decisionClick(deps, denyModal));
  const directory = directoryActions(deps);
  app.action(DIRECTORY_SEARCH, directory.open);
  app.action(ACTIONS.addContact, directory.add);
  app.action(ACTIONS.editContact, directory.edit);
  app.action(ACTIONS.pauseContact, directory.pause);
  app.action(ACTIONS.resumeContact, directory.resume);
  app.action(ACTIONS.retireContact, directory.retire);
  app.action(ACTIONS.acceptNomination, nominationClick(deps, 'accept'));
  app.action(ACTIONS.declineNomination, nominationClick(deps, 'decline'));
  app.action(ACTIONS.findMatches, requestModalMatches(deps, 'find'));
  app.action(ACTIONS.chooseMatch, requestModalMatches(deps, 'choose'));
  app.action(ACTIONS.chooseContact, approveModalContact(deps, 'choose'));
  // The approve modal's contact typeahead dispatches its selection (dispatch_action).
  app.action(CONTACT_SELECT, approveModalContact(deps, 'picked'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.ownerAgreed, ownerAnswer(deps, 'agreed'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.ownerDeclined, ownerAnswer(deps, 'declined'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.ownerCannotAsk, ownerAnswer(deps, 'cannot_ask'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.snoozeReminder, snoozeReminder(deps));
  const outcome = outcomeForms(deps);
  app.action<BlockAction<ButtonAction>>(ACTIONS.outcomeYes, outcome.yes);
  app.action<BlockAction<ButtonAction>>(ACTIONS.outcomeNo, outcome.no);
  app.action<BlockAction<ButtonAction>>(ACTIONS.followupLater, outcome.later);
  app.action<BlockAction<ButtonAction>>(ACTIONS.recordDeal, outcome.deal);
  app.action<BlockAction<ButtonAction>>(ACTIONS.cancelRequest, cancelRequest(deps));
  // The report's period picker dispatches its selection (dispatch_action).
  for (const field of PICKER_FIELDS) app.action(REPORT_FIELDS[field].action, reportPickerChange(deps));
  recruiting(app, deps);
}
