import type { Server } from 'node:http';
import { App, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import { ConsoleLogger, type Logger, type LogLevel } from '@slack/logger';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { type Config, ConfigError, loadConfig, loadDotEnv } from './config';
import { isEntryPoint } from './entry-point';
import { type DeliveryPolicy, DeliveryWorker } from './jobs/delivery-worker';
import { DirectoryImport } from './services/directory-import';
import { DirectoryIndex } from './services/directory-index';
import { DirectoryService } from './services/directory-service';
import { MatchService } from './services/match-service';
import { RequestService } from './services/request-service';
import { UnitOfWork } from './services/unit-of-work';
import { registerListeners } from './slack/listeners';
import { ManagerRoles } from './slack/manager-roles';
import { type MessageRefs, SlackNotifier } from './slack/notifier';
import { UserTimeZones } from './slack/user-time-zones';
import { type Db, isReachable, migrate, openDatabase } from './store/database';
import { DirectorySnapshotStore } from './store/directory-snapshot-store';
import { DirectoryStore } from './store/directory-store';
import { NominationStore } from './store/nomination-store';
import { OutboxStore } from './store/outbox-store';
import { OutcomeStore } from './store/outcome-store';
import { RequestStore } from './store/request-store';
import { RevisionStore } from './store/revision-store';
import { UsageStore } from './store/usage-store';
import { UserStore } from './store/user-store';

export interface RefdeskOptions {
  logger?: Logger;
  /** The clock; tests move it. */
  now?: () => Date;
  /** Extra Web API client options, e.g. `retryConfig` in tests. */
  clientOptions?: WebClientOptions;
  delivery?: Partial<DeliveryPolicy>;
}

export interface Refdesk {
  app: App;
  db: Db;
  worker: DeliveryWorker;
  roles: ManagerRoles;
  requests: RequestService;
  /** Starts listening (HTTP on `config.port`, or Socket Mode) and the background jobs. */
  start(): Promise<Server | undefined>;
  stop(): Promise<void>;
}

function createLogger(config: Config): Logger {
  const logger = new ConsoleLogger();
  logger.setLevel(config.logLevel as LogLevel);
  logger.setName('refdesk');
  return logger;
}

function createReceiver(config: Config, db: Db, logger: Logger): Receiver {
  if (config.appToken) return new SocketModeReceiver({ appToken: config.appToken, logger });
  return new HTTPReceiver({
    signingSecret: config.signingSecret!,
    endpoints: '/slack/events',
    logger,
    processBeforeResponse: false,
    customRoutes: [
      {
        path: '/healthz',
        method: ['GET'],
        handler: (_req, res) => {
          void isReachable(db).then((ok) => {
            res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
            res.end(ok ? 'ok' : 'database unreachable');
          });
        },
      },
    ],
  });
}

/** The composition root: config -> db -> stores -> services -> Bolt app -> listeners -> jobs. */
export async function createRefdesk(config: Config, options: RefdeskOptions = {}): Promise<Refdesk> {
  const logger = options.logger ?? createLogger(config);
  const now = options.now ?? (() => new Date());

  const db = openDatabase(config.databaseUrl);
  await migrate(db);

  const stores = {
    requests: new RequestStore(),
    directory: new DirectoryStore(),
    outbox: new OutboxStore(),
    users: new UserStore(),
    usage: new UsageStore(),
    revisions: new RevisionStore(),
    snapshots: new DirectorySnapshotStore(),
    outcomes: new OutcomeStore(),
  };

  let worker: DeliveryWorker | undefined;
  const work = new UnitOfWork(db, stores.outbox, stores.revisions, now, () => worker?.kick());
  const requests = new RequestService({
    db,
    work,
    requests: stores.requests,
    directory: stores.directory,
    usage: stores.usage,
    outcomes: stores.outcomes,
    rules: config.rules,
    now,
  });
  const directory = new DirectoryService({
    db,
    work,
    directory: stores.directory,
    importer: new DirectoryImport(db, stores.directory),
    nominations: new NominationStore(),
    usage: stores.usage,
    windowDays: config.rules.windowDays,
    now,
  });
  const index = new DirectoryIndex(db, stores.snapshots, stores.revisions, config.rules, now);
  const matches = new MatchService(db, index, stores.snapshots, now);

  // Listener calls (views.open...) race a trigger_id that expires in 3 s: retry once, quickly, and
  // never sit out a Retry-After. Background deliveries have their own client and schedule.
  const clientOptions: WebClientOptions = {
    slackApiUrl: config.slackApiUrl,
    logger,
    retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 500 },
    rejectRateLimitedCalls: true,
    ...options.clientOptions,
  };
  // Deferred so start() awaits auth.test itself and reports a refused token in one line.
  const app = new App({
    token: config.botToken,
    receiver: createReceiver(config, db, logger),
    logger,
    clientOptions,
    deferInitialization: true,
  });
  const roles = new ManagerRoles(app.client, config.managersChannel, config.managers, logger, now);
  const timeZones = new UserTimeZones(db, stores.users, app.client, logger, now);
  registerListeners(app, { requests, directory, matches, roles, timeZones, logger, now });
  app.error(async (error) => {
    logger.error('unhandled error in a listener', error);
  });

  // Deliveries use their own client: no hidden retries, 429s come back to the worker to schedule.
  const deliveryClient = new WebClient(config.botToken, {
    ...clientOptions,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  });
  const refs: MessageRefs = {
    get: (key) => stores.outbox.getRef(db, key),
    save: (key, ref) => stores.outbox.saveRef(db, key, ref, now().toISOString()),
  };
  const notifier = new SlackNotifier(
    deliveryClient,
    requests,
    refs,
    config.managersChannel,
    matches,
    directory,
  );
  worker = new DeliveryWorker({
    db,
    outbox: stores.outbox,
    deliver: (d) => notifier.deliver(d.conversation, d.notification),
    now,
    logger,
    policy: options.delivery,
  });

  return {
    app,
    db,
    worker,
    roles,
    requests,
    async start() {
      try {
        await app.init();
      } catch (error) {
        const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
        throw new Error(`Slack did not accept SLACK_BOT_TOKEN (auth.test: ${reason})`);
      }
      // Load the directory index before the first typeahead needs it.
      await matches.warm();
      const server = (await app.start(config.port)) as Server | undefined;
      worker!.start();
      roles.warm();
      return server;
    },
    async stop() {
      await app.stop().catch(() => undefined);
      await worker!.stop();
      await db.destroy();
    },
  };
}

async function main(): Promise<void> {
  loadDotEnv();
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`refdesk: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const refdesk = await createRefdesk(config);
  await refdesk.start();
  const mode = config.appToken
    ? 'Socket Mode'
    : `HTTP on port ${config.port} (POST /slack/events, GET /healthz)`;
  console.log(`refdesk is running: ${mode}`);
  const shutdown = () => {
    void refdesk.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (isEntryPoint(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`refdesk: could not start: ${(error as Error).message}`);
    process.exit(1);
  });
}
