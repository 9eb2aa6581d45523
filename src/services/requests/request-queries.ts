import { requestRef } from '../../domain/reference.ts';
import type { DirectoryFacets } from '../../domain/request-draft.ts';
import { NotFoundError } from '../../errors.ts';
import { Expiring } from '../../expiring.ts';
import { type RequestDetails, readRequestDetails } from './request-details.ts';
import {
  type Actor,
  assertManager,
  assertReporter,
  type RequestDeps,
  RequestUseCase,
} from './request-use-case.ts';

/** What the forms, cards, messages and Homes read about requests. */
export class RequestQueries extends RequestUseCase {
  /** The directory's industries, products, regions and sizes; kept 30 s because every form needs them. */
  private readonly directoryFacets: Expiring<DirectoryFacets>;

  constructor(deps: RequestDeps) {
    super(deps);
    this.directoryFacets = new Expiring(30_000, () => deps.directory.facets(deps.db), deps.now);
  }

  facets(): Promise<DirectoryFacets> {
    return this.directoryFacets.get();
  }

  /** The request with its current ask, or with the ask `askId` when a message is about an older one. */
  async details(requestId: number, askId?: number): Promise<RequestDetails> {
    const [details] = await readRequestDetails(this.deps, [{ requestId, askId }]);
    if (!details) throw new NotFoundError(`There is no request ${requestRef(requestId)}.`);
    return details;
  }

  /** The details of many requests in a few queries, in the order of `ids` (unknown ids are left out). */
  detailsMany(ids: readonly number[]): Promise<RequestDetails[]> {
    return readRequestDetails(
      this.deps,
      ids.map((requestId) => ({ requestId })),
    );
  }

  /** Checks, before a modal opens, that this actor may decide this request now. */
  async decidable(actor: Actor, requestId: number): Promise<RequestDetails> {
    const details = await this.details(requestId);
    assertManager(actor);
    await this.assertStatus(this.deps.db, details.request, 'approve');
    return details;
  }

  /** Checks, before a follow-up form opens, that this actor may report on this request. */
  async reportable(actor: Actor, requestId: number): Promise<RequestDetails> {
    const details = await this.details(requestId);
    assertReporter(actor, details.request);
    return details;
  }

  async listMine(requesterId: string, limit = 20): Promise<RequestDetails[]> {
    const requests = await this.deps.requests.listByRequester(this.deps.db, requesterId, limit);
    return this.detailsMany(requests.map((r) => r.id));
  }

  history(requestId: number) {
    return this.deps.requests.history(this.deps.db, requestId);
  }
}
