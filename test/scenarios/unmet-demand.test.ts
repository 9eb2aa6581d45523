import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DENY_FIELDS } from '../../src/slack/ids.ts';
import { Harness } from '../support/harness.ts';
import {
  createRequest,
  MANAGER,
  openDecision,
  REP,
  requestStatus,
  submitView,
  textOf,
} from '../support/journey.ts';

/** What the coverage gaps count as unmet demand is recorded as it happens. */
describe('unmet demand', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  afterAll(() => h.stop());

  const closeReason = async (id: number) =>
    ((await h.db('reference_requests').where({ id }).first()) as { close_reason: string | null })
      .close_reason;

  it('lets a manager deny an ask for having no suitable reference, with or without words', async () => {
    const bare = await createRequest(h, { prospect: 'Initech' });
    const modal = await openDecision(h, 'deny', bare);
    const res = await submitView(h, modal, MANAGER, {
      [DENY_FIELDS.noSuitableReference.block]: { [DENY_FIELDS.noSuitableReference.action]: ['yes'] },
    });
    expect(res.status).toBe(200);
    await h.settled();
    expect(await requestStatus(h, bare)).toBe('denied');
    expect(await closeReason(bare)).toBe('No suitable reference');
    expect(textOf(h.slack.messagesTo(REP).at(-1))).toContain('No suitable reference');

    const worded = await createRequest(h, { prospect: 'Hooli' });
    await submitView(h, await openDecision(h, 'deny', worded), MANAGER, {
      [DENY_FIELDS.noSuitableReference.block]: { [DENY_FIELDS.noSuitableReference.action]: ['yes'] },
      [DENY_FIELDS.reason.block]: { [DENY_FIELDS.reason.action]: 'Nobody in <retail> yet' },
    });
    await h.settled();
    expect(await closeReason(worded)).toBe('No suitable reference: Nobody in <retail> yet');

    // Neither ticked nor said: the rep must be told why.
    const none = await createRequest(h, { prospect: 'Umbrella' });
    const empty = await submitView(h, await openDecision(h, 'deny', none), MANAGER, {});
    expect(empty.json()).toMatchObject({
      response_action: 'errors',
      errors: { reason: 'Tell the rep why.' },
    });
    expect(await requestStatus(h, none)).toBe('submitted');
  });

  it('records when an ask’s card finds no eligible contact', async () => {
    const served = await createRequest(h, { prospect: 'Initech' });
    // Nobody in the directory agreed to host a site visit.
    const unserved = await createRequest(h, { prospect: 'Hooli', activity: 'site_visit' });
    const noMatch = async (id: number) =>
      ((await h.db('reference_requests').where({ id }).first()) as { no_match_at: string | null })
        .no_match_at;
    expect(await noMatch(served)).toBeNull();
    expect(await noMatch(unserved)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});
