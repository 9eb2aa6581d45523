import { subDays } from 'date-fns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/domain/program-rules.ts';
import { REQUEST_STATUS_KEYS } from '../../src/domain/request-lifecycle.ts';
import { NotFoundError } from '../../src/errors.ts';
import type { RequestDetails } from '../../src/services/requests/index.ts';
import { JOURNEYS, NOW, openRequestWorld } from './request-world.ts';

type World = Awaited<ReturnType<typeof openRequestWorld>>;

/** The per-request read as it was before the set-based one: the oracle the new read must match. */
async function detailsOneByOne(world: World, requestId: number, askId?: number): Promise<RequestDetails> {
  const { db, stores } = world;
  const request = (await stores.requests.get(db, requestId))!;
  const wantedAsk = askId ?? request.currentAskId;
  const ask = wantedAsk ? await stores.requests.getAsk(db, wantedAsk) : null;
  const profiles = await stores.directory.profiles(
    db,
    [ask?.contactId, request.preferredContactId].filter((id): id is number => typeof id === 'number'),
  );
  const contact = profiles.find((p) => p.id === ask?.contactId) ?? null;
  const preferred = profiles.find((p) => p.id === request.preferredContactId) ?? null;
  const since = subDays(NOW, DEFAULT_RULES.windowDays).toISOString();
  const recent = preferred
    ? ((await db('reference_asks')
        .where({ contact_id: preferred.id })
        .where('approved_at', '>=', since)
        .count({ n: '*' })
        .first()) as { n: number })
    : null;
  const finished = request.status === 'completed' || request.status === 'not_held';
  const outcome = finished ? await stores.outcomes.get(db, request.id) : null;
  return {
    request,
    ask,
    contact,
    preferred,
    preferredRecentAsks: Number(recent?.n ?? 0),
    windowDays: DEFAULT_RULES.windowDays,
    outcome,
  };
}

describe('RequestService reads details set-based', () => {
  let world: World;
  let ids: number[];
  beforeEach(async () => {
    world = await openRequestWorld();
    ids = [];
    // Twice through every journey, so contacts, preferred contacts and asks repeat across requests.
    for (const journey of [...JOURNEYS, ...JOURNEYS]) ids.push(await world.request(journey));
  });
  afterEach(async () => {
    await world.close();
  });

  it('gives what reading one request at a time gave, for requests in every status', async () => {
    const many = await world.requests.queries.detailsMany(ids);
    expect(new Set(many.map((d) => d.request.status))).toEqual(new Set(REQUEST_STATUS_KEYS));
    expect(many.some((d) => d.preferredRecentAsks > 0 && d.outcome && d.contact)).toBe(true);
    expect(many).toEqual(await Promise.all(ids.map((id) => detailsOneByOne(world, id))));
  });

  it('keeps the order asked for, repeats included, and leaves out ids of no request', async () => {
    const asked = [...ids].reverse();
    asked.splice(3, 0, ids[0]!, 999_999);
    const expected = asked.filter((id) => id !== 999_999);
    expect(await world.requests.queries.detailsMany(asked)).toEqual(
      await Promise.all(expected.map((id) => detailsOneByOne(world, id))),
    );
  });

  it('reads more ids than old SQLite builds bind in one statement (999)', async () => {
    const unknown = Array.from({ length: 1200 }, (_, i) => 100_000 + i);
    expect(await world.requests.queries.detailsMany([...unknown, ...ids])).toEqual(
      await world.requests.queries.detailsMany(ids),
    );
  });

  it('reads one request with an older ask when asked to, as before', async () => {
    const reapproved = ids[JOURNEYS.indexOf('reapproved')]!;
    const [first] = (await world.db('reference_asks').where({ request_id: reapproved }).orderBy('id')) as {
      id: number;
    }[];
    const older = await world.requests.queries.details(reapproved, first!.id);
    expect(older.ask?.id).not.toBe(older.request.currentAskId);
    expect(older).toEqual(await detailsOneByOne(world, reapproved, first!.id));
    expect(await world.requests.queries.details(reapproved)).toEqual(
      await detailsOneByOne(world, reapproved),
    );
  });

  it('says a request that does not exist is not there', async () => {
    await expect(world.requests.queries.details(999_999)).rejects.toThrow(NotFoundError);
    expect(await world.requests.queries.detailsMany([])).toEqual([]);
  });
});
