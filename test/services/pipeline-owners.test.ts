import { ConsoleLogger, LogLevel } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from 'vitest';
import { PIPELINE_COLUMNS } from '../../src/domain/pipeline.ts';
import { PipelineImport } from '../../src/services/pipeline-import.ts';
import { PipelineOwners } from '../../src/slack/pipeline-owners.ts';
import type { Db } from '../../src/store/database.ts';
import { PipelineStore } from '../../src/store/pipeline-store.ts';
import { openTempDatabase, type TempDatabase } from '../store/temp-database.ts';
import { FakeSlack } from '../support/fake-slack.ts';

// Under test/services/ (not test/slack/) so it runs on SQLite and PostgreSQL: its SQL is the store's.

const PIPELINE = [
  PIPELINE_COLUMNS.join(','),
  'OPP-1,,,jane@example.com,100,USD,,open,,,,,,',
  'OPP-2,,,jane@example.com,200,USD,,won,,,,,,',
  'OPP-3,,,ghost@example.com,300,USD,,open,,,,,,',
  'OPP-4,,,U0REP1,400,USD,,open,,,,,,',
  'OPP-5,,,raj@example.com,500,USD,,lost,,,,,,',
  'OPP-6,,,,600,USD,,lost,,,,,,',
].join('\n');

describe('PipelineOwners', () => {
  const slack = new FakeSlack();
  let temp: TempDatabase;
  let db: Db;
  let warnings: MockInstance<ConsoleLogger['warn']>;
  let clock: Date;
  let owners: PipelineOwners;

  beforeAll(() => slack.start());
  afterAll(() => slack.stop());
  beforeEach(async () => {
    slack.reset();
    temp = await openTempDatabase();
    db = temp.db;
    await new PipelineImport(db, 'USD').importCsv(PIPELINE, new Date('2026-11-20T10:00:00Z'));
    // As main.ts builds its clients: no hidden retries, and a 429 comes back instead of being waited out.
    const client = new WebClient('xoxb-test', {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const logger = new ConsoleLogger();
    logger.setLevel(LogLevel.ERROR);
    warnings = vi.spyOn(logger, 'warn');
    clock = new Date('2026-11-20T12:00:00Z');
    owners = new PipelineOwners(db, new PipelineStore(), client, logger, () => clock);
  });
  afterEach(() => temp.close());

  const ownerIds = async () =>
    Object.fromEntries(
      (
        (await db('opportunities').select('opportunity_id', 'owner_id')) as {
          opportunity_id: string;
          owner_id: string | null;
        }[]
      ).map((r) => [r.opportunity_id, r.owner_id]),
    );
  const lookups = () =>
    slack.calls.filter((c) => c.method === 'users.lookupByEmail').map((c) => c.params.email);

  it('resolves each owner email once, for every opportunity of that owner, and marks unknown ones', async () => {
    slack.emails = { 'jane@example.com': 'U0JANE', 'raj@example.com': 'U0RAJ' };
    expect(await owners.resolve()).toEqual({ resolved: 2, unknown: 1 });
    expect(lookups()).toEqual(['ghost@example.com', 'jane@example.com', 'raj@example.com']);
    expect(await ownerIds()).toEqual({
      'OPP-1': 'U0JANE',
      'OPP-2': 'U0JANE',
      'OPP-3': null,
      'OPP-4': 'U0REP1',
      'OPP-5': 'U0RAJ',
      'OPP-6': null,
    });
    const rows = await db('opportunities').where({ opportunity_id: 'OPP-1' }).first();
    expect(rows.owner).toBe('jane@example.com');

    // The unknown email is not asked again within a day; after that it is.
    slack.calls.length = 0;
    clock = new Date('2026-11-21T11:59:00Z');
    expect(await owners.resolve()).toEqual({ resolved: 0, unknown: 0 });
    expect(lookups()).toEqual([]);
    clock = new Date('2026-11-21T12:01:00Z');
    slack.emails['ghost@example.com'] = 'U0GHOST';
    expect(await owners.resolve()).toEqual({ resolved: 1, unknown: 0 });
    expect((await ownerIds())['OPP-3']).toBe('U0GHOST');
  });

  it('stops the pass at the first 429 and goes on after the Retry-After', async () => {
    slack.emails = {
      'ghost@example.com': 'U0GHOST',
      'jane@example.com': 'U0JANE',
      'raj@example.com': 'U0RAJ',
    };
    let calls = 0;
    const stop = slack.intercept((call) =>
      call.method === 'users.lookupByEmail' && ++calls === 2
        ? { status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } }
        : undefined,
    );
    expect(await owners.resolve()).toEqual({ resolved: 1, unknown: 0 });
    expect(lookups()).toEqual(['ghost@example.com', 'jane@example.com']);
    stop();

    clock = new Date(clock.getTime() + 10_000);
    expect(await owners.resolve()).toEqual({ resolved: 0, unknown: 0 });
    expect(lookups()).toHaveLength(2);

    clock = new Date(clock.getTime() + 21_000);
    expect(await owners.resolve()).toEqual({ resolved: 2, unknown: 0 });
    expect(lookups()).toEqual([
      'ghost@example.com',
      'jane@example.com',
      'jane@example.com',
      'raj@example.com',
    ]);
    expect(Object.values(await ownerIds()).filter((id) => id === null)).toHaveLength(1);
  });

  it('logs and stops the pass when Slack refuses the call (e.g. without users:read.email)', async () => {
    slack.intercept((call) =>
      call.method === 'users.lookupByEmail' ? { body: { ok: false, error: 'missing_scope' } } : undefined,
    );
    expect(await owners.resolve()).toEqual({ resolved: 0, unknown: 0 });
    expect(lookups()).toHaveLength(1);
    expect(warnings).toHaveBeenCalledTimes(1);
    const warning = String(warnings.mock.calls[0]);
    expect(warning).toContain('missing_scope');
    expect(warning).not.toContain('@');
  });

  it('asks nothing when every owner is known', async () => {
    await db('opportunities').whereNull('owner_id').update({ owner_id: 'U0SOMEONE' });
    expect(await owners.resolve()).toEqual({ resolved: 0, unknown: 0 });
    expect(lookups()).toEqual([]);
  });
});
