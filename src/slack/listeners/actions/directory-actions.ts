import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { NotFoundError } from '../../../errors.ts';
import { entryFromProfile } from '../../../services/directory-service.ts';
import { contactForm, contactMetadataSchema, contactPage, pauseModal } from '../../blocks/directory-views.ts';
import { declineNominationModal, nominationButtonSchema } from '../../blocks/nomination-messages.ts';
import { parseJson } from '../../payloads.ts';
import { actorOf, errorText, type ListenerDeps, ROLE_UNKNOWN } from '../deps.ts';
import { buttonHandler, privateReply } from './button.ts';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
type Actor = NonNullable<Awaited<ReturnType<typeof actorOf>>>;
type Next = { push?: ModalView; update?: ModalView };

/** The contact a button (JSON value) or the directory search (a contact id) is about. */
function contactIdOf(action: BlockAction['actions'][number]): number {
  const raw =
    ('value' in action ? action.value : undefined) ??
    (action as { selected_option?: { value?: string } | null }).selected_option?.value;
  const contactId = parseJson(contactMetadataSchema, raw)?.contactId ?? (Number(raw) || null);
  if (contactId === null) throw new NotFoundError('This button is out of date.');
  return contactId;
}

/**
 * A click inside the directory's modals. The service checks the clicker's role before anything
 * opens (a crafted click is refused like any other, privately); then it either pushes a view on
 * the stack or updates the one it came from.
 */
function directoryClick(deps: ListenerDeps, run: (actor: Actor, args: Args) => Promise<Next>) {
  return async (args: Args): Promise<void> => {
    const { ack, body, client } = args;
    await ack();
    const tell = privateReply(args);
    const actor = await actorOf(deps, body.user.id);
    if (!actor) return void (await tell(ROLE_UNKNOWN));
    try {
      const next = await run(actor, args);
      if (next.push) await client.views.push({ trigger_id: body.trigger_id, view: next.push });
      if (next.update && body.view)
        await client.views.update({ view_id: body.view.id, hash: body.view.hash, view: next.update });
    } catch (error) {
      await tell(errorText(deps, error, 'updating the directory'));
    }
  };
}

export function directoryActions(deps: ListenerDeps) {
  const page = async (actor: Actor, contactId: number) =>
    contactPage(await deps.directory.page(actor, contactId), deps.now());
  return {
    /** A contact picked in the directory's search: show their page. */
    open: directoryClick(deps, async (actor, { action }) => ({
      push: await page(actor, contactIdOf(action)),
    })),
    edit: directoryClick(deps, async (actor, { action }) => {
      const contactId = contactIdOf(action);
      const { contact } = await deps.directory.page(actor, contactId);
      return {
        push: contactForm('edit', entryFromProfile(contact), { mode: 'edit', contactId, nominationId: null }),
      };
    }),
    pause: directoryClick(deps, async (actor, { action }) => ({
      push: pauseModal(await deps.directory.pausable(actor, contactIdOf(action))),
    })),
    resume: directoryClick(deps, async (actor, { action }) => {
      const contactId = contactIdOf(action);
      await deps.directory.resume(actor, contactId);
      return { update: await page(actor, contactId) };
    }),
    retire: directoryClick(deps, async (actor, { action }) => {
      const contactId = contactIdOf(action);
      await deps.directory.retire(actor, contactId);
      return { update: await page(actor, contactId) };
    }),
    /** "Add a contact" in `/reference contacts`. */
    add: directoryClick(deps, async (actor) => {
      deps.directory.authorize(actor);
      return {
        push: contactForm('add', null, { mode: 'add', contactId: null, nominationId: null }),
      };
    }),
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
      await args.client.views.open({ trigger_id: args.body.trigger_id, view });
    },
  );
}
