import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { driveRef } from '../../../domain/recruiting.ts';
import { contactForm } from '../../blocks/directory-views.ts';
import { driveButtonSchema, recruitButtonSchema, recruitModal } from '../../blocks/recruiting.ts';
import { ACTIONS } from '../../ids.ts';
import type { ListenerDeps } from '../deps.ts';
import { buttonHandler } from './button.ts';

/** Recruit on a gap and Close on a drive's card (managers), and an owner's answers to a drive's DM. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.recruit,
    buttonHandler(
      deps,
      recruitButtonSchema,
      'opening the recruiting form',
      async ({ actor, value, args }) => {
        deps.recruiting.authorize(actor);
        const view = recruitModal(value);
        // From the gaps modal the form goes on top of it; from anywhere else it opens on its own.
        if (args.body.view) await args.client.views.push({ trigger_id: args.body.trigger_id, view });
        else await args.client.views.open({ trigger_id: args.body.trigger_id, view });
      },
    ),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.closeDrive,
    buttonHandler(deps, driveButtonSchema, 'closing the recruiting drive', async ({ actor, value }) => {
      await deps.recruiting.close(actor, value.driveId);
    }),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.recruitNominate,
    buttonHandler(deps, driveButtonSchema, 'opening the nomination form', async ({ actor, value, args }) => {
      const entry = await deps.recruiting.nominationEntry(actor.id, value.driveId);
      const view = contactForm('nominate', entry, {
        mode: 'nominate',
        contactId: null,
        nominationId: null,
        driveId: value.driveId,
      });
      await args.client.views.open({ trigger_id: args.body.trigger_id, view });
    }),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.recruitNoOneFits,
    buttonHandler(
      deps,
      driveButtonSchema,
      'answering the recruiting drive',
      async ({ actor, value, tell }) => {
        await deps.recruiting.noOneFits(actor.id, value.driveId);
        await tell(`Thank you: ${driveRef(value.driveId)} will not remind you.`);
      },
    ),
  );
}
