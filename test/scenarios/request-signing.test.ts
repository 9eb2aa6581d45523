import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.ts';
import { createRequest, requestStatus } from '../support/journey.ts';

describe('the signature timestamp', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  afterAll(async () => {
    await h.stop();
  });

  const nowSeconds = () => Math.floor(Date.now() / 1000);

  it.each([
    ['six minutes ago (a replay)', -6 * 60],
    ['six minutes ahead', 6 * 60],
    ['a day ahead', 24 * 60 * 60],
  ])('refuses a correctly signed request dated %s with 401 and changes nothing', async (_when, offset) => {
    const id = await createRequest(h);
    const res = await h.client.command(
      { user_id: 'U0REP1', text: `cancel REF-${id}` },
      { timestamp: nowSeconds() + offset },
    );
    expect(res.status).toBe(401);
    expect(await requestStatus(h, id)).toBe('submitted');
  });

  it.each([
    ['four minutes ago', -4 * 60],
    ['four minutes ahead (a fast clock)', 4 * 60],
  ])('accepts one dated %s', async (_when, offset) => {
    const res = await h.client.command(
      { user_id: 'U0REP1', text: 'help' },
      { timestamp: nowSeconds() + offset },
    );
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ response_type: 'ephemeral' });
  });
});
