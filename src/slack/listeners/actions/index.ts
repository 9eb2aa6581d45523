import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { approveModal, denyModal } from '../../blocks/decision-modals';
import { ACTIONS } from '../../ids';
import type { ListenerDeps } from '../deps';
import { decisionClick } from './decision-click';
import { ownerAnswer } from './owner-answer';

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.approve, decisionClick(deps, approveModal));
  app.action<BlockAction<ButtonAction>>(ACTIONS.deny, decisionClick(deps, denyModal));
  app.action<BlockAction<ButtonAction>>(ACTIONS.ownerAgreed, ownerAnswer(deps, 'agreed'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.ownerDeclined, ownerAnswer(deps, 'declined'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.ownerCannotAsk, ownerAnswer(deps, 'cannot_ask'));
}
