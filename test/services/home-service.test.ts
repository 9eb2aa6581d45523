import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countQueries, JOURNEYS, openRequestWorld, REP } from './request-world.ts';

type World = Awaited<ReturnType<typeof openRequestWorld>>;

/**
 * A manager's Home: 8 to find the ids and figures (my asks, owner's asks, the three queue lists, the
 * counts, the index's revisions, influenced revenue) and 8 to read every listed request's details.
 * Read one at a time, it was 78 for 5 requests and 335 for 50.
 */
const HOME_QUERIES = 16;
/** /reference status: the rep's requests, then their details (it was 29 for 5 and 119 for 20). */
const STATUS_QUERIES = 9;

describe('HomeService', () => {
  let world: World;
  beforeEach(async () => {
    world = await openRequestWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  /** `count` more requests, in every state in turn. */
  async function addRequests(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await world.request(JOURNEYS[i % JOURNEYS.length]!);
  }

  /** Queries of one build, once the directory index is warm (it reloads after every change). */
  async function queriesOfHome(): Promise<number> {
    await world.homes.build(REP.id, true);
    return countQueries(world.db, () => world.homes.build(REP.id, true));
  }

  it('builds a manager’s Home in the same few queries for 5 requests as for 50', async () => {
    await addRequests(5);
    expect(await queriesOfHome()).toBe(HOME_QUERIES);
    await addRequests(45);
    expect(await queriesOfHome()).toBe(HOME_QUERIES);
  });

  it('lists a rep’s asks for /reference status in the same few queries for 5 requests as for 50', async () => {
    await addRequests(5);
    expect(await countQueries(world.db, () => world.requests.queries.listMine(REP.id))).toBe(STATUS_QUERIES);
    await addRequests(45);
    expect(await countQueries(world.db, () => world.requests.queries.listMine(REP.id))).toBe(STATUS_QUERIES);
  });

  it('lists on the Home what reading each request alone gives, in the queue’s order', async () => {
    await addRequests(50);
    const { db, stores, requests } = world;
    const home = await world.homes.build(REP.id, true);
    const oneByOne = (ids: readonly number[]) => Promise.all(ids.map((id) => requests.queries.details(id)));
    const mine = await stores.requests.listByRequester(db, REP.id, 8);
    expect(home.myAsks).toEqual(await oneByOne(mine.map((r) => r.id)));
    expect(home.ownerAsks).toEqual(
      await oneByOne((await stores.requests.waitingOnOwner(db, REP.id)).slice(0, 8)),
    );
    const manager = home.manager!;
    expect(manager.toDecide).toEqual(await oneByOne(await stores.requests.idsByStatus(db, ['submitted'], 8)));
    expect(manager.waitingOnOwners).toEqual(
      await oneByOne(await stores.requests.idsByStatus(db, ['awaiting_owner'], 8)),
    );
    const waiting = await stores.requests.idsByStatus(db, ['submitted', 'awaiting_owner'], 200);
    expect(manager.toDecideCount + manager.waitingCount).toBe(waiting.length);
    for (const list of [home.ownerAsks, manager.toDecide, manager.overdue, manager.expiringSoon]) {
      expect(list.length).toBeGreaterThan(0);
    }
    expect(manager.overdue.every((d) => d.ask && d.ask.remindersSent > 0)).toBe(true);
  });

  it('builds a Home without the queue for someone who is not a manager', async () => {
    await addRequests(5);
    expect((await world.homes.build(REP.id, false)).manager).toBeNull();
  });
});
