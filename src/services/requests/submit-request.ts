import { localDate } from '../../domain/dates.ts';
import { isAvailable } from '../../domain/matching.ts';
import type { ReferenceRequest } from '../../domain/reference.ts';
import { validateRequestDraft } from '../../domain/request-draft.ts';
import { InputError } from '../../errors.ts';
import { oncePerForm } from '../once-per-form.ts';
import type { RequestQueries } from './request-queries.ts';
import { type RequestDeps, RequestUseCase } from './request-use-case.ts';

/** A rep asks for a reference: the request is stored, the rep told, the managers get a card. */
export class SubmitRequest extends RequestUseCase {
  constructor(
    deps: RequestDeps,
    private readonly queries: RequestQueries,
  ) {
    super(deps);
  }

  /** `viewId` is the form's: a second delivery of the same submission creates nothing new. */
  async submit(
    requesterId: string,
    input: unknown,
    timeZone: string | null,
    viewId: string | null = null,
  ): Promise<ReferenceRequest> {
    const now = this.deps.now();
    const result = validateRequestDraft(input, localDate(now, timeZone), await this.queries.facets());
    if (!result.ok) throw new InputError(result.errors);
    const { draft } = result;
    return this.transact(async (trx, notify, refreshHomes) => {
      if (draft.preferredContactId !== null) {
        const contact = await this.deps.directory.profile(trx, draft.preferredContactId);
        if (!contact || !isAvailable(contact, localDate(now, 'UTC'))) {
          throw new InputError({
            preferredContactId: 'This contact is not available any more; pick another one.',
          });
        }
      }
      const at = now.toISOString();
      const form = viewId ? { viewId, kind: 'request' as const } : null;
      return oncePerForm(
        trx,
        this.deps.forms,
        form,
        at,
        async () => {
          const request = await this.deps.requests.insert(trx, requesterId, draft, at);
          await this.record(trx, request.id, requesterId, 'submit', null, 'submitted', null, at);
          notify({
            to: { user: requesterId },
            notification: { type: 'rep_submitted', requestId: request.id },
          });
          notify({ to: 'managers', notification: { type: 'request_card', requestId: request.id } });
          refreshHomes({ users: [requesterId], managers: true });
          return request;
        },
        (id) => this.load(trx, id),
      );
    }, false);
  }
}
