import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { entryFromProfile } from '../../../services/directory-service.ts';
import { contactForm, contactMetadataSchema, contactPage, pauseModal } from '../../blocks/directory-views.ts';
import { declineNominationModal, nominationButtonSchema } from '../../blocks/nomination-messages.ts';
import { parseJson } from '../../payloads.ts';
import { ackFirst, actorOf, errorText, type ListenerDeps } from '../deps.ts';
import { buttonHandler } from './button.ts';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
type Actor = NonNullable<Awaited<ReturnType<typeof actorOf>>>;

const actionValue = (action: BlockAction['actions'][number]) =>
  ('value' in action ? action.value : undefined) ??
  (action as { selected_option?: { value?: string } | null }).selected_option?.value;

/**
 * A click inside the directory's modals. Each one re-checks the clicker's role on the server,
 * then either pushes a view on the stack or updates the one it came from.
 */
function directoryClick(
  deps: ListenerDeps,
  run: (actor: Actor, contactId: number, args: Args) => Promise<{ push?: ModalView; update?: ModalView }>,
) {
  return async (args: Args): Promise<void> => {
    const { ack, body, action } = args;
    await ackFirst(ack);
    const raw = actionValue(action);
    const contactId = parseJson(contactMetadataSchema, raw)?.contactId ?? (Number(raw) || null);
    const actor = await actorOf(deps, body.user.id);
    try {
      if (!actor || contactId === null) return;
      const next = await run(actor, contactId, args);
      if (next.push) await deps.slack.views.push({ trigger_id: body.trigger_id, view: next.push });
      if (next.update && body.view)
        await deps.slack.views.update({ view_id: body.view.id, hash: body.view.hash, view: next.update });
    } catch (error) {
      deps.logger.warn(errorText(deps, error, 'updating the directory'));
    }
  };
}

export function directoryActions(deps: ListenerDeps) {
  const page = async (actor: Actor, contactId: number) =>
    contactPage(await deps.directory.page(actor, contactId), deps.now());
  return {
    /** A contact picked in the directory's search: show their page. */
    open: directoryClick(deps, async (actor, contactId) => ({ push: await page(actor, contactId) })),
    edit: directoryClick(deps, async (actor, contactId) => {
      const { contact } = await deps.directory.page(actor, contactId);
      return {
        push: contactForm('edit', entryFromProfile(contact), { mode: 'edit', contactId, nominationId: null }),
      };
    }),
    pause: directoryClick(deps, async (actor, contactId) => ({
      push: pauseModal(await deps.directory.page(actor, contactId)),
    })),
    resume: directoryClick(deps, async (actor, contactId) => {
      await deps.directory.resume(actor, contactId);
      return { update: await page(actor, contactId) };
    }),
    retire: directoryClick(deps, async (actor, contactId) => {
      await deps.directory.retire(actor, contactId);
      return { update: await page(actor, contactId) };
    }),
    /** "Add a contact" in `/reference contacts`. */
    add: async ({ ack, body }: Args): Promise<void> => {
      await ackFirst(ack);
      await deps.slack.views.push({
        trigger_id: body.trigger_id,
        view: contactForm('add', null, { mode: 'add', contactId: null, nominationId: null }),
      });
    },
  };
}

/** Accept / Decline on a nomination card: managers only, and only while it is pending. */
export function nominationClick(deps: ListenerDeps, decision: 'accept' | 'decline') {
  return buttonHandler(
    deps,
    nominationButtonSchema,
    'opening the nomination',
    async ({ actor, value, args }) => {
      const nomination = await deps.directory.assertNominationOpen(actor, value.nominationId);
      const view =
        decision === 'accept'
          ? contactForm('accept', nomination.entry, {
              mode: 'accept',
              contactId: null,
              nominationId: nomination.id,
            })
          : declineNominationModal(nomination);
      await deps.slack.views.open({ trigger_id: args.body.trigger_id, view });
    },
  );
}
