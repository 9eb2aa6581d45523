import { subDays } from 'date-fns';
import type { ContactProfile, ReferenceAsk, ReferenceRequest } from '../../domain/reference.ts';
import type { Db } from '../../store/database.ts';
import type { DirectoryStore } from '../../store/directory-store.ts';
import type { OutcomeStore, ReferenceOutcome } from '../../store/outcome-store.ts';
import type { RequestStore } from '../../store/request-store.ts';

/** Everything the card and the messages about one request show. */
export interface RequestDetails {
  request: ReferenceRequest;
  ask: ReferenceAsk | null;
  contact: ContactProfile | null;
  preferred: ContactProfile | null;
  /** Asks of the preferred contact within the program's window (RULES_WINDOW_DAYS). */
  preferredRecentAsks: number;
  windowDays: number;
  /** What the rep reported after the reference, once they did. */
  outcome: ReferenceOutcome | null;
}

/** A request to read, and which of its asks when a message is about an older one than the current. */
export interface DetailsKey {
  requestId: number;
  askId?: number;
}

export interface DetailsSources {
  db: Db;
  requests: RequestStore;
  directory: DirectoryStore;
  outcomes: OutcomeStore;
  rules: { windowDays: number };
  now: () => Date;
}

const ids = (values: readonly (number | null | undefined)[]): number[] => [
  ...new Set(values.filter((id): id is number => typeof id === 'number')),
];

const lookup = <T>(map: ReadonlyMap<number, T>, id: number | null | undefined): T | null =>
  id == null ? null : (map.get(id) ?? null);

/**
 * The details of many requests, in the order of `keys` (a key with no request is left out). The
 * number of queries does not grow with the number of requests, so a Home listing 200 costs what one does.
 */
export async function readRequestDetails(
  from: DetailsSources,
  keys: readonly DetailsKey[],
): Promise<RequestDetails[]> {
  const { db, requests, directory, outcomes } = from;
  const found = await requests.getMany(
    db,
    keys.map((k) => k.requestId),
  );
  const wanted = keys.flatMap(({ requestId, askId }) => {
    const request = found.get(requestId);
    return request ? [{ request, askId: askId ?? request.currentAskId }] : [];
  });
  const preferredIds = ids(wanted.map((w) => w.request.preferredContactId));
  // Only a finished request has an outcome to show (as the per-request read had it).
  const finished = [...found.values()].filter((r) => r.status === 'completed' || r.status === 'not_held');
  const [asks, recentAsks, outcomeOf] = await Promise.all([
    requests.asksById(db, ids(wanted.map((w) => w.askId))),
    requests.countAsksSince(db, preferredIds, subDays(from.now(), from.rules.windowDays).toISOString()),
    outcomes.getMany(
      db,
      finished.map((r) => r.id),
    ),
  ]);
  const askedIds = [...asks.values()].map((a) => a.contactId);
  const profiles = await directory.profiles(db, ids([...askedIds, ...preferredIds]));
  const profileOf = new Map(profiles.map((p) => [p.id, p]));
  return wanted.map(({ request, askId }) => {
    const ask = lookup(asks, askId);
    const preferred = lookup(profileOf, request.preferredContactId);
    return {
      request,
      ask,
      contact: lookup(profileOf, ask?.contactId),
      preferred,
      preferredRecentAsks: preferred ? (recentAsks.get(preferred.id) ?? 0) : 0,
      windowDays: from.rules.windowDays,
      outcome: lookup(outcomeOf, request.id),
    };
  });
}
