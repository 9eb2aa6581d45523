import type { ModalView } from '@slack/types';
import { criteriaOf } from '../../services/match-service.ts';
import type { RequestDetails } from '../../services/requests/index.ts';
import { approveModal } from '../blocks/decision-modals.ts';
import type { ListenerDeps } from './deps.ts';

/**
 * The approve modal for a request, with the top matches and how the chosen contact fits.
 * The contact starts as the rep's preferred one (when active), else the best match.
 */
export async function buildApproveModal(
  deps: ListenerDeps,
  details: RequestDetails,
  opts: { chosenId?: number | null; version?: number } = {},
): Promise<ModalView> {
  const preferredId = details.preferred?.status === 'active' ? details.preferred.id : undefined;
  const { top, chosen } = await deps.matches.suggestFor(
    criteriaOf(details.request),
    3,
    opts.chosenId !== undefined ? opts.chosenId : preferredId,
  );
  return approveModal(details, { chosen, top, version: opts.version ?? 0 });
}
