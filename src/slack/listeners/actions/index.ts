import type { BlockAction, ButtonAction } from '@slack/bolt';
import { denyModal } from '../../blocks/decision-modals.ts';
import { ACTIONS, CONTACT_SELECT, DIRECTORY_SEARCH } from '../../ids.ts';
import { buildApproveModal } from '../approve-view.ts';
import type { ListenerDeps } from '../deps.ts';
import type { ListenerRouter } from '../router.ts';
import { decisionClick } from './decision-click.ts';
import { directoryActions, nominationClick } from './directory-actions.ts';
import { approveModalContact, requestModalMatches } from './match-actions.ts';
import { cancelRequest, outcomeForms } from './outcome-actions.ts';
import { ownerAnswer, snoozeReminder } from './owner-answer.ts';

export function register(router: ListenerRouter, deps: ListenerDeps): void {
  router.action<BlockAction<ButtonAction>>(
    ACTIONS.approve,
    decisionClick(deps, (details) => buildApproveModal(deps, details)),
  );
  router.action<BlockAction<ButtonAction>>(ACTIONS.deny, decisionClick(deps, denyModal));
  const directory = directoryActions(deps);
  router.action(DIRECTORY_SEARCH, directory.open);
  router.action(ACTIONS.addContact, directory.add);
  router.action(ACTIONS.editContact, directory.edit);
  router.action(ACTIONS.pauseContact, directory.pause);
  router.action(ACTIONS.resumeContact, directory.resume);
  router.action(ACTIONS.retireContact, directory.retire);
  router.action(ACTIONS.acceptNomination, nominationClick(deps, 'accept'));
  router.action(ACTIONS.declineNomination, nominationClick(deps, 'decline'));
  router.action(ACTIONS.findMatches, requestModalMatches(deps, 'find'));
  router.action(ACTIONS.chooseMatch, requestModalMatches(deps, 'choose'));
  router.action(ACTIONS.chooseContact, approveModalContact(deps, 'choose'));
  // The approve modal's contact typeahead dispatches its selection (dispatch_action).
  router.action(CONTACT_SELECT, approveModalContact(deps, 'picked'));
  router.action<BlockAction<ButtonAction>>(ACTIONS.ownerAgreed, ownerAnswer(deps, 'agreed'));
  router.action<BlockAction<ButtonAction>>(ACTIONS.ownerDeclined, ownerAnswer(deps, 'declined'));
  router.action<BlockAction<ButtonAction>>(ACTIONS.ownerCannotAsk, ownerAnswer(deps, 'cannot_ask'));
  router.action<BlockAction<ButtonAction>>(ACTIONS.snoozeReminder, snoozeReminder(deps));
  const outcome = outcomeForms(deps);
  router.action<BlockAction<ButtonAction>>(ACTIONS.outcomeYes, outcome.yes);
  router.action<BlockAction<ButtonAction>>(ACTIONS.outcomeNo, outcome.no);
  router.action<BlockAction<ButtonAction>>(ACTIONS.followupLater, outcome.later);
  router.action<BlockAction<ButtonAction>>(ACTIONS.recordDeal, outcome.deal);
  router.action<BlockAction<ButtonAction>>(ACTIONS.cancelRequest, cancelRequest(deps));
}
