import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleLogger, type Logger, LogLevel } from '@slack/logger';
import { loadConfig } from '../../src/config.ts';
import type { DeliveryPolicy } from '../../src/jobs/delivery-worker.ts';
import { createRefdesk, type Refdesk } from '../../src/main.ts';
import { DirectoryImport } from '../../src/services/directory-import.ts';
import { FakeSlack } from './fake-slack.ts';
import { FakeSocketMode } from './fake-socket-mode.ts';
import { SIGNING_SECRET, SignedClient, type SlackClient } from './signed-client.ts';
import { appTables, createTestDatabase, emptyTables, type TestDatabase } from './test-database.ts';

export const MANAGERS_CHANNEL = 'C0RMQUEUE';

/** A small directory: two accounts, four contacts (one paused). */
export const DIRECTORY_CSV = `account,account_id,industry,region,company_size,products,owner,contact_name,contact_email,title,seniority,activities,customer_since,status,notes
Acme Health,SF-001,Healthcare,EMEA,1000-4999,Analytics;Billing,U0OWNER1,Jane Doe,jane@acme.example,CFO,c_level,reference_call;case_study,2021-03-01,active,Great advocate
Acme Health,SF-001,Healthcare,EMEA,1000-4999,Analytics;Billing,U0OWNER1,Raj Patel,raj@acme.example,Director of IT,director,reference_call;quote,2022-01-15,active,
Globex,SF-002,Manufacturing,North America,Enterprise,Analytics,U0OWNER2,Kim Lee,kim@globex.example,VP Operations,vp,reference_call;quote,2019-06-30,active,
Globex,SF-002,Manufacturing,North America,Enterprise,Analytics,U0OWNER2,Pat Quiet,pat@globex.example,Manager,manager,reference_call,2020-01-01,paused,
`;

export interface HarnessOptions {
  env?: Record<string, string>;
  /** A Web API server running elsewhere (e.g. another process in a benchmark) instead of the local fake. */
  slackApiUrl?: string;
  now?: () => Date;
  directory?: string | null;
  logLevel?: LogLevel;
  /** Where the app logs instead of the console (logLevel is then ignored), e.g. to assert on what was logged. */
  logger?: Logger;
  /** false: the lifecycle job does not run on its own; tests call `h.refdesk.lifecycle.runNow()`. */
  startLifecycle?: boolean;
  startWorker?: boolean;
  delivery?: Partial<DeliveryPolicy>;
  /** The pace of posts to one channel (ms); none by default. */
  postSpacingMs?: number;
  /** Slack reaches the app over a Socket Mode connection to a local server instead of signed HTTP. */
  socketMode?: boolean;
  /** The URL the app connects to, given the test database's (e.g. through a proxy a test can cut). */
  connectVia?: (databaseUrl: string) => string;
}

/**
 * The real app over HTTP (or Socket Mode), a real SQLite database in a temp dir, and a local fake
 * Slack. `url` is the app's HTTP server: Slack's endpoint and /healthz, or /healthz alone.
 */
export class Harness {
  readonly slack = new FakeSlack();
  readonly socket = new FakeSocketMode(this.slack);
  readonly dir = mkdtempSync(join(tmpdir(), 'refdesk-test-'));
  refdesk!: Refdesk;
  private database!: TestDatabase;
  client!: SlackClient;
  url = '';
  private server: Server | undefined;
  private responseCounter = 0;
  private options: HarnessOptions;
  /** Requests the app is still handling (their ack may have gone out long before). */
  private handling = 0;
  /** The rows the migrations put in (revision counters...), which `reset` puts back. */
  private seed = new Map<string, Record<string, unknown>[]>();

  private constructor(private readonly initial: HarnessOptions) {
    this.options = { ...initial };
  }

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const h = new Harness(options);
    h.database = await createTestDatabase(h.dir);
    if (!options.slackApiUrl) await h.slack.start();
    if (options.socketMode) await h.socket.start();
    await h.boot();
    for (const table of await appTables(h.db)) {
      const rows = (await h.db(table)) as Record<string, unknown>[];
      if (rows.length > 0) h.seed.set(table, rows);
    }
    await h.importFixture();
    return h;
  }

  /** Runs `use` on a harness started with `options` (a test that needs other options than its file's), then stops it. */
  static async run<T>(options: HarnessOptions, use: (h: Harness) => Promise<T>): Promise<T> {
    const h = await Harness.start(options);
    try {
      return await use(h);
    } finally {
      await h.stop();
    }
  }

  get databaseUrl(): string {
    return this.database.url;
  }

  get db() {
    return this.refdesk.db;
  }

  private async boot(): Promise<void> {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: this.options.slackApiUrl ?? this.slack.apiUrl,
      DATABASE_URL: this.options.connectVia?.(this.databaseUrl) ?? this.databaseUrl,
      REFERENCE_MANAGERS_CHANNEL: MANAGERS_CHANNEL,
      PORT: '0',
      // The weekly digest would join any test's lifecycle pass on a Monday: on only where a test asks.
      DIGEST_ENABLED: 'false',
      ...(this.options.socketMode ? { SLACK_APP_TOKEN: this.socket.appToken } : {}),
      ...this.options.env,
    });
    const logger = this.options.logger ?? new ConsoleLogger();
    if (!this.options.logger) logger.setLevel(this.options.logLevel ?? LogLevel.ERROR);
    this.refdesk = await createRefdesk(config, {
      logger,
      now: this.options.now,
      clientOptions: { retryConfig: { retries: 0 } },
      delivery: {
        baseDelayMs: 20,
        maxDelayMs: 200,
        pollMs: 20,
        maxAttempts: 5,
        ...this.options.delivery,
      },
      // No pace between posts to one channel unless a test asks: tests move a clock of their own.
      postSpacingMs: this.options.postSpacingMs ?? 0,
      startLifecycle: this.options.startLifecycle ?? false,
      startWorker: this.options.startWorker,
      // A dropped socket is reconnected after this long (Bolt's default is 5 s).
      socketMode: { clientPingTimeout: 200 },
    });
    this.countHandling(this.refdesk.app);
    this.server = await this.refdesk.start();
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    this.client = this.options.socketMode ? this.socket : new SignedClient(`${this.url}/slack/events`);
  }

  /** Both receivers hand every request to `app.processEvent`, which resolves once its listener has finished. */
  private countHandling(app: Refdesk['app']): void {
    const processEvent = app.processEvent.bind(app);
    app.processEvent = async (event) => {
      this.handling++;
      try {
        await processEvent(event);
      } finally {
        this.handling--;
      }
    };
  }

  /** Waits until the app has finished handling every request it received (acks come earlier). */
  async idle(timeoutMs = 5000): Promise<void> {
    await this.slack.waitFor(() => this.handling === 0, timeoutMs);
  }

  /**
   * Back to the state `start` left, so the tests of a file can share one harness: what the app was
   * still doing is finished, every table is emptied (knex's own aside) and refilled with the
   * migrations' rows and the fixture directory, and the fake Slack is cleared. The app itself is
   * rebuilt on the same database (cheap: it is migrated and the fake keeps running), because the
   * directory index, the time-zone memo and the facets cache have no way to be told to forget.
   */
  async reset(): Promise<void> {
    this.options = { ...this.initial };
    await this.idle();
    await this.refdesk.worker.stop();
    await this.refdesk.lifecycle.stop();
    await emptyTables(this.db, this.seed);
    await this.importFixture();
    await this.refdesk.stop();
    this.slack.reset();
    await this.boot();
  }

  private async importFixture(): Promise<void> {
    if (this.options.directory !== null) await this.importDirectory(this.options.directory ?? DIRECTORY_CSV);
  }

  /** Stops the app (the database file stays) and starts a fresh process-like instance on it. */
  async restart(options: Pick<HarnessOptions, 'startWorker'> = {}): Promise<void> {
    await this.refdesk.stop();
    this.options = { ...this.options, startWorker: true, ...options };
    await this.boot();
  }

  async stop(): Promise<void> {
    // A failed test may leave work in flight; let it end before its Web API goes away.
    await this.idle().catch(() => undefined);
    await this.refdesk.stop();
    await this.socket.stop();
    await this.slack.stop();
    await this.database.drop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async importDirectory(csv: string): Promise<void> {
    const result = await new DirectoryImport(this.db).importCsv(csv, new Date());
    if (!result.ok) throw new Error(`fixture directory is invalid: ${JSON.stringify(result.issues)}`);
  }

  nextResponseUrl(): string {
    return this.slack.responseUrl(++this.responseCounter);
  }

  /**
   * Waits until the app has handled every request sent to it, and the outbox has nothing pending
   * that is due within `horizonMs` (so quick retries are waited for too) and no delivery is in flight.
   */
  async settled(timeoutMs = 5000, horizonMs = 1500): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // What the app does after an ack (an answer, a cancel) must be done before its messages are looked for.
    await this.idle(timeoutMs);
    for (;;) {
      const clock = (this.options.now ?? (() => new Date()))();
      const horizon = new Date(clock.getTime() + horizonMs).toISOString();
      const row = (await this.db('outbox')
        .where({ status: 'pending' })
        .where('next_attempt_at', '<=', horizon)
        .count({ n: '*' })
        .first()) as { n: number };
      if (Number(row.n) === 0 && !this.refdesk.worker.busy) return;
      if (Date.now() > deadline) throw new Error('outbox did not settle');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
