import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadDatabaseConfig } from '../../src/config.ts';

const ENV = {
  SLACK_BOT_TOKEN: 'xoxb-1234-5678-abcdef',
  SLACK_SIGNING_SECRET: 'secret-of-at-least-8',
  REFERENCE_MANAGERS_CHANNEL: 'C0RMQUEUE',
};

const load = (patch: Record<string, string | undefined> = {}) => loadConfig({ ...ENV, ...patch });

/** The ConfigError `fn` throws; fails the test when it throws nothing or something else. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads a minimal HTTP-mode environment with defaults', () => {
    const config = load();
    expect(config).toEqual({
      databaseUrl: 'sqlite:./data/refdesk.sqlite',
      botToken: 'xoxb-1234-5678-abcdef',
      signingSecret: 'secret-of-at-least-8',
      appToken: undefined,
      slackApiUrl: undefined,
      port: 3000,
      managersChannel: 'C0RMQUEUE',
      managers: [],
      reportViewers: [],
      logLevel: 'info',
      rules: {
        windowDays: 90,
        maxAsksPerContact: 3,
        minDaysBetweenAsks: 14,
        maxOpenAsksPerContact: 1,
        maxAsksPerAccount: null,
      },
      lifecycle: { reminderBusinessDays: 2, maxReminders: 2, snoozeBusinessDays: 2, followupHour: 9 },
      lifecycleIntervalMs: 60_000,
      deliveryTimeoutMs: 5_000,
      outboxRetentionDays: 30,
      digest: { day: 1, hour: 9, timeZone: 'UTC' },
      databasePoolSize: 10,
      dataRetentionDays: null,
      pipelineCurrency: 'USD',
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.managers)).toBe(true);
  });

  it('reads the program rules and the lifecycle timing', () => {
    const config = load({
      RULES_WINDOW_DAYS: '60',
      RULES_MAX_ASKS_PER_CONTACT: '2',
      RULES_MIN_DAYS_BETWEEN_ASKS: '7',
      RULES_MAX_OPEN_ASKS_PER_CONTACT: '2',
      RULES_MAX_ASKS_PER_ACCOUNT: '5',
      REMINDER_BUSINESS_DAYS: '3',
      MAX_REMINDERS: '1',
      FOLLOWUP_HOUR: '10',
      LIFECYCLE_INTERVAL_SECONDS: '30',
    });
    expect(config.rules).toEqual({
      windowDays: 60,
      maxAsksPerContact: 2,
      minDaysBetweenAsks: 7,
      maxOpenAsksPerContact: 2,
      maxAsksPerAccount: 5,
    });
    expect(config.lifecycle).toMatchObject({ reminderBusinessDays: 3, maxReminders: 1, followupHour: 10 });
    expect(config.lifecycleIntervalMs).toBe(30_000);
    expect(load({ DELIVERY_TIMEOUT_SECONDS: '3' }).deliveryTimeoutMs).toBe(3_000);
    expect(load({ OUTBOX_RETENTION_DAYS: '7', DATA_RETENTION_DAYS: '365' })).toMatchObject({
      outboxRetentionDays: 7,
      dataRetentionDays: 365,
    });
    expect(() => load({ OUTBOX_RETENTION_DAYS: '0' })).toThrow(/OUTBOX_RETENTION_DAYS is invalid/);
  });

  it('takes when the weekly digest goes out, or that it does not', () => {
    expect(
      load({ DIGEST_DAY: 'Friday', DIGEST_HOUR: '8', DIGEST_TIME_ZONE: 'Europe/Berlin' }).digest,
    ).toEqual({
      day: 5,
      hour: 8,
      timeZone: 'Europe/Berlin',
    });
    expect(load({ DIGEST_ENABLED: 'false' }).digest).toBeNull();
    expect(() => load({ DIGEST_DAY: 'someday' })).toThrow(/DIGEST_DAY is invalid: set it to the weekday/);
    expect(() => load({ DIGEST_TIME_ZONE: 'Mars/Base' })).toThrow(/DIGEST_TIME_ZONE is invalid/);
    expect(() => load({ DIGEST_HOUR: '24' })).toThrow(/DIGEST_HOUR is invalid/);
    expect(() => load({ RULES_MIN_DAYS_BETWEEN_ASKS: '100' })).toThrow(
      /RULES_MIN_DAYS_BETWEEN_ASKS is invalid/,
    );
    expect(() => load({ FOLLOWUP_HOUR: '25' })).toThrow(/FOLLOWUP_HOUR is invalid/);
  });

  it('reads every variable', () => {
    const config = load({
      SLACK_APP_TOKEN: 'xapp-1-A1-abc',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      PORT: '8080',
      DATABASE_URL: 'postgres://refdesk@db/refdesk',
      REFERENCE_MANAGERS: 'U0AAA,S0BBB',
      REPORT_VIEWERS: 'U0CCC S0DDD',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      appToken: 'xapp-1-A1-abc',
      slackApiUrl: 'http://127.0.0.1:9999/api/',
      port: 8080,
      databaseUrl: 'postgres://refdesk@db/refdesk',
      managers: ['U0AAA', 'S0BBB'],
      reportViewers: ['U0CCC', 'S0DDD'],
      logLevel: 'debug',
    });
  });

  it('trims values', () => {
    expect(
      load({ SLACK_BOT_TOKEN: '  xoxb-abc  ', REFERENCE_MANAGERS_CHANNEL: ' C0RMQUEUE ' }),
    ).toMatchObject({
      botToken: 'xoxb-abc',
      managersChannel: 'C0RMQUEUE',
    });
  });

  describe('a missing SLACK_BOT_TOKEN', () => {
    it.each([
      ['unset', undefined],
      ['blank', ''],
      ['spaces', '   '],
    ])('(%s) is a one-line error naming the variable and what to put there', (_name, value) => {
      const error = configError(() => load({ SLACK_BOT_TOKEN: value }));
      expect(error.code).toBe('refdesk_config_error');
      expect(error.message).not.toContain('\n');
      expect(error.message).toBe(
        'SLACK_BOT_TOKEN is missing: set it to the Bot User OAuth Token from OAuth & Permissions (xoxb-...)',
      );
    });
  });

  it('says a token of the wrong kind is invalid', () => {
    const error = configError(() => load({ SLACK_BOT_TOKEN: 'xoxp-user-token' }));
    expect(error.message).toMatch(/^SLACK_BOT_TOKEN is invalid: set it to .*xoxb-/);
  });

  it('accepts C and G channel ids', () => {
    expect(load({ REFERENCE_MANAGERS_CHANNEL: 'G0PRIVATE' }).managersChannel).toBe('G0PRIVATE');
  });

  it.each(['#reference-managers', 'reference-managers', 'c0rmqueue', 'U0USER', 'C1', 'C0 RMQUEUE'])(
    'refuses the channel %j',
    (channel) => {
      const error = configError(() => load({ REFERENCE_MANAGERS_CHANNEL: channel }));
      expect(error.message).toBe(
        "REFERENCE_MANAGERS_CHANNEL is invalid: set it to the channel id of the reference managers' queue, e.g. C0123ABCD",
      );
    },
  );

  it('reports a missing channel as missing', () => {
    const error = configError(() => load({ REFERENCE_MANAGERS_CHANNEL: undefined }));
    expect(error.message).toMatch(/^REFERENCE_MANAGERS_CHANNEL is missing: /);
    expect(error.message).not.toContain('\n');
  });

  describe('REFERENCE_MANAGERS', () => {
    it.each([
      ['U0AAA,U0BBB', ['U0AAA', 'U0BBB']],
      ['U0AAA U0BBB', ['U0AAA', 'U0BBB']],
      ['U0AAA, U0BBB ,S0CCC', ['U0AAA', 'U0BBB', 'S0CCC']],
      [' U0AAA,,  W0DDD,\tS0CCC ', ['U0AAA', 'W0DDD', 'S0CCC']],
      ['', []],
      ['  ', []],
    ])('reads %j', (raw, managers) => {
      expect(load({ REFERENCE_MANAGERS: raw }).managers).toEqual(managers);
    });

    it.each(['U0AAA,@jane', 'jane', 'U0AAA;U0BBB', 'C0CHANNEL', 'u0aaa'])('refuses %j', (raw) => {
      const error = configError(() => load({ REFERENCE_MANAGERS: raw }));
      expect(error.message).toMatch(/^REFERENCE_MANAGERS is invalid: set it to a comma-separated list/);
      expect(error.message).not.toContain('\n');
    });
  });

  it('refuses a REPORT_VIEWERS entry that is not a user or user group id, naming the variable', () => {
    const error = configError(() => load({ REPORT_VIEWERS: 'U0AAA,#sales' }));
    expect(error.message).toMatch(/^REPORT_VIEWERS is invalid: set it to a comma-separated list/);
  });

  describe('the signing secret', () => {
    it('is required in HTTP mode', () => {
      const error = configError(() => load({ SLACK_SIGNING_SECRET: undefined }));
      expect(error.message).toBe(
        'SLACK_SIGNING_SECRET is missing: set it to the Signing Secret from Basic Information (needed in HTTP mode)',
      );
    });

    it('is optional with an app token (Socket Mode)', () => {
      const config = load({ SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: 'xapp-1-A1-abc' });
      expect(config.signingSecret).toBeUndefined();
      expect(config.appToken).toBe('xapp-1-A1-abc');
    });

    it('counts a blank value as unset', () => {
      expect(() => load({ SLACK_SIGNING_SECRET: '  ' })).toThrow(/SLACK_SIGNING_SECRET is missing/);
      expect(load({ SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xapp-1' }).signingSecret).toBeUndefined();
    });

    it('refuses a secret that is too short', () => {
      expect(() => load({ SLACK_SIGNING_SECRET: 'short' })).toThrow(/^SLACK_SIGNING_SECRET is invalid/);
    });

    it('refuses an app token of the wrong kind', () => {
      expect(() => load({ SLACK_APP_TOKEN: 'xoxb-not-an-app-token' })).toThrow(/^SLACK_APP_TOKEN is invalid/);
    });
  });

  describe('SLACK_API_URL', () => {
    it('gets a trailing slash', () => {
      expect(load({ SLACK_API_URL: 'http://localhost:4000/api' }).slackApiUrl).toBe(
        'http://localhost:4000/api/',
      );
      expect(load({ SLACK_API_URL: 'https://slack.com/api/' }).slackApiUrl).toBe('https://slack.com/api/');
    });

    it('counts blank as unset', () => {
      expect(load({ SLACK_API_URL: '' }).slackApiUrl).toBeUndefined();
    });

    it('refuses something that is not a URL', () => {
      expect(() => load({ SLACK_API_URL: 'slack api' })).toThrow(/^SLACK_API_URL is invalid/);
    });
  });

  describe('PORT', () => {
    it('defaults to 3000, also when blank', () => {
      expect(load().port).toBe(3000);
      expect(load({ PORT: '' }).port).toBe(3000);
    });

    it.each(['-1', '65536', 'eighty', '80.5'])('refuses %j', (port) => {
      expect(() => load({ PORT: port })).toThrow(
        new ConfigError('PORT is invalid: set it to the HTTP port, a number from 0 to 65535'),
      );
    });
  });

  it('refuses an unknown log level', () => {
    expect(() => load({ LOG_LEVEL: 'verbose' })).toThrow(/^LOG_LEVEL is invalid: set it to one of debug/);
  });

  it('ignores unrelated variables', () => {
    expect(() => load({ PATH: '/usr/bin', HOME: '/root', RANDOM_THING: '' })).not.toThrow();
  });
});

describe('loadDatabaseConfig', () => {
  it('defaults to a SQLite file under ./data', () => {
    expect(loadDatabaseConfig({})).toEqual({
      databaseUrl: 'sqlite:./data/refdesk.sqlite',
      databasePoolSize: 10,
    });
    expect(loadDatabaseConfig({ DATABASE_URL: '  ' })).toEqual({
      databaseUrl: 'sqlite:./data/refdesk.sqlite',
      databasePoolSize: 10,
    });
  });

  it('takes the pool size of PostgreSQL connections, 1 to 100', () => {
    expect(loadDatabaseConfig({ DATABASE_POOL_SIZE: '25' }).databasePoolSize).toBe(25);
    expect(() => loadDatabaseConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE is invalid/);
  });

  it('needs no Slack variables', () => {
    expect(() => loadDatabaseConfig({ DATABASE_URL: 'sqlite:/tmp/x.sqlite' })).not.toThrow();
  });

  it.each([
    'sqlite:/var/lib/refdesk.sqlite',
    'file:./refdesk.db',
    'postgres://u:p@localhost:5432/refdesk',
    'postgresql://localhost/refdesk',
    './data/refdesk.sqlite',
    '/var/lib/refdesk.sqlite',
    'refdesk.sqlite',
  ])('accepts %j', (url) => {
    expect(loadDatabaseConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it('refuses a URL of a database refdesk does not support', () => {
    const error = configError(() => loadDatabaseConfig({ DATABASE_URL: 'mysql://u@localhost/refdesk' }));
    expect(error.message).toBe(
      'DATABASE_URL is invalid: set it to a SQLite path such as sqlite:./data/refdesk.sqlite or a postgres:// URL',
    );
  });

  it('is frozen', () => {
    expect(Object.isFrozen(loadDatabaseConfig({}))).toBe(true);
  });
});
