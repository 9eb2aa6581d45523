import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.ts';
import { createRequest, OWNER, REP } from '../support/journey.ts';
import { sample } from '../support/signed-client.ts';

describe('a user deleted from the Slack workspace', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  afterAll(() => h.stop());

  let events = 0;
  const envelope = (event: Record<string, unknown>) => ({
    token: 'x',
    type: 'event_callback',
    team_id: 'T0123',
    api_app_id: 'A0123',
    event_id: `EvUser${++events}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0123', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    event,
  });
  /** user_change as Slack sends it: the whole user object, `deleted` among its fields. */
  const userChange = (id: string, deleted: boolean) =>
    envelope({
      type: 'user_change',
      user: {
        id,
        team_id: 'T0123',
        name: id.toLowerCase(),
        deleted,
        real_name: 'Riley Rep',
        tz: 'Europe/Berlin',
        tz_label: 'Central European Time',
        tz_offset: 3600,
        profile: { real_name: 'Riley Rep', display_name: 'riley', email: 'riley@example.com' },
        is_bot: false,
        updated: 1_700_000_000,
      },
      cache_ts: 1_700_000_000,
      event_ts: '1700000000.000100',
    });

  async function openHome(user: string): Promise<void> {
    const base = sample('AppHomeOpenedPayload') as Record<string, unknown>;
    const event = {
      ...(base.event as object),
      type: 'app_home_opened',
      user,
      channel: `D${user}`,
      tab: 'home',
    };
    await h.client.event(envelope({ ...event, event_ts: '1.1' }));
    await h.idle();
  }

  const rowsAbout = async (user: string) => ({
    zones: await h.db('slack_users').where({ id: user }),
    homes: await h.db('home_views').where({ user_id: user }),
  });

  it('forgets their time zone and Home, keeps their requests under their id, and logs the erasure', async () => {
    const id = await createRequest(h);
    await openHome(REP);
    const before = await rowsAbout(REP);
    expect(before.zones).toHaveLength(1);
    expect(before.homes).toHaveLength(1);

    const res = await h.client.event(userChange(REP, true));
    expect(res.status).toBe(200);
    await h.idle();

    expect(await rowsAbout(REP)).toEqual({ zones: [], homes: [] });
    expect(await h.db('reference_requests').where({ id }).first()).toMatchObject({ requester_id: REP });
    const log = (await h.db('erasures').select()) as Record<string, unknown>[];
    expect(log).toMatchObject([{ kind: 'slack_user', erased_by: 'slack:user_change' }]);
    expect(JSON.stringify(log)).not.toContain(REP);
  });

  it('leaves a user whose profile merely changed alone', async () => {
    await createRequest(h);
    await openHome(OWNER);
    const before = await rowsAbout(OWNER);
    expect(before.homes).toHaveLength(1);

    expect((await h.client.event(userChange(OWNER, false))).status).toBe(200);
    await h.idle();

    expect(await rowsAbout(OWNER)).toEqual(before);
    expect(await h.db('erasures')).toEqual([]);
  });
});
