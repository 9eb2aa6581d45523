import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { ConsoleLogger, type Logger, type LogLevel } from '@slack/logger';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { type Config, ConfigError, loadConfig, loadDotEnv } from './config.ts';
import { isEntryPoint } from './entry-point.ts';
import { type DeliveryPolicy, DeliveryWorker } from './jobs/delivery-worker.ts';
import { LifecycleJob } from './jobs/lifecycle-job.ts';
import { PostPacer } from './jobs/post-pacer.ts';
import { ReplicaSync } from './jobs/replica-sync.ts';
import { DigestService } from './services/digest-service.ts';
import { DirectoryImport } from './services/directory-import.ts';
import { DirectoryIndex } from './services/directory-index.ts';
import { DirectoryService } from './services/directory-service.ts';
import { ErasureService } from './services/erasure.ts';
import { EventLog } from './services/event-log.ts';
import { GapsService } from './services/gaps-service.ts';
import { HomeService } from './services/home-service.ts';
import { Housekeeping } from './services/housekeeping.ts';
import { LifecycleService } from './services/lifecycle-service.ts';
import { MatchService } from './services/match-service.ts';
import { PipelineQueries } from './services/pipeline-queries.ts';
import { RecruitingService } from './services/recruiting-service.ts';
import { ReportService } from './services/report-service.ts';
import { type RequestUseCases, requestUseCases } from './services/requests/index.ts';
import { UnitOfWork } from './services/unit-of-work.ts';
import { httpConnection, type SlackConnection, socketConnection } from './slack/connection.ts';
import { DigestPublisher } from './slack/digest-publisher.ts';
import { HomePublisher } from './slack/home-publisher.ts';
import { registerListeners } from './slack/listeners/index.ts';
import { ManagerRoles } from './slack/manager-roles.ts';
import { oncePerEvent } from './slack/middleware/once-per-event.ts';
import { type MessageRefs, SlackNotifier } from './slack/notifier.ts';
import { PipelineOwners } from './slack/pipeline-owners.ts';
import { ProgramSection } from './slack/program-section.ts';
import { ReportViewers } from './slack/report-viewers.ts';
import { Teams } from './slack/teams.ts';
import { UserTimeZones } from './slack/user-time-zones.ts';
import { type Db, isReachable, migrate, openDatabase } from './store/database.ts';
import { DigestStore } from './store/digest-store.ts';
import { DirectorySnapshotStore } from './store/directory-snapshot-store.ts';
import { DirectoryStore } from './store/directory-store.ts';
import { ErasureStore } from './store/erasure-store.ts';
import { EventStore, HomeViewStore } from './store/event-store.ts';
import { FormStore } from './store/form-store.ts';
import { GapsStore } from './store/gaps-store.ts';
import { NominationStore } from './store/nomination-store.ts';
import { type Delivery, OutboxStore } from './store/outbox-store.ts';
import { OutcomeStore } from './store/outcome-store.ts';
import { PeriodicRunStore } from './store/periodic-run-store.ts';
import { PipelineStore } from './store/pipeline-store.ts';
import { RecruitingStore } from './store/recruiting-store.ts';
import { ReportStore } from './store/report-store.ts';
import { RequestStore } from './store/request-store.ts';
import { RevisionStore } from './store/revision-store.ts';
import { UsageStore } from './store/usage-store.ts';
import { UserStore } from './store/user-store.ts';

export interface RefdeskOptions {
  logger?: Logger;
  /** The clock; tests move it. */
  now?: () => Date;
  /** Extra Web API client options, e.g. `retryConfig` in tests. */
  clientOptions?: WebClientOptions;
  delivery?: Partial<DeliveryPolicy>;
  /** The least time between two messages posted to one channel (Slack allows about one a second). */
  postSpacingMs?: number;
  /** Tests drive the lifecycle themselves with a controlled clock. */
  startLifecycle?: boolean;
  /** Tests simulate a process that died before delivering what it committed. */
  startWorker?: boolean;
  lifecycleIntervalMs?: number;
  /** Socket Mode tuning; tests shorten the ping timeout so a dropped socket reconnects quickly. */
  socketMode?: { clientPingTimeout?: number };
}

export interface Refdesk {
  app: App;
  db: Db;
  worker: DeliveryWorker;
  lifecycle: LifecycleJob;
  roles: ManagerRoles;
  sync: ReplicaSync;
  requests: RequestUseCases;
  /**
   * Starts receiving (HTTP, or Socket Mode) and the background jobs; resolves with the server on
   * `config.port` (Slack's endpoint and /healthz, or /healthz alone in Socket Mode).
   */
  start(): Promise<Server>;
  stop(): Promise<void>;
}

function createLogger(config: Config): Logger {
  const logger = new ConsoleLogger();
  logger.setLevel(config.logLevel as LogLevel);
  logger.setName('refdesk');
  return logger;
}

function createConnection(config: Config, db: Db, logger: Logger, options: RefdeskOptions): SlackConnection {
  const common = { port: config.port, logger, databaseReachable: () => isReachable(db) };
  if (config.appToken) {
    return socketConnection({
      ...common,
      appToken: config.appToken,
      slackApiUrl: config.slackApiUrl,
      clientPingTimeout: options.socketMode?.clientPingTimeout,
    });
  }
  return httpConnection({ ...common, signingSecret: config.signingSecret! });
}

function createStores() {
  return {
    requests: new RequestStore(),
    directory: new DirectoryStore(),
    outbox: new OutboxStore(),
    users: new UserStore(),
    usage: new UsageStore(),
    revisions: new RevisionStore(),
    snapshots: new DirectorySnapshotStore(),
    outcomes: new OutcomeStore(),
    nominations: new NominationStore(),
    events: new EventStore(),
    homes: new HomeViewStore(),
    forms: new FormStore(),
    periodicRuns: new PeriodicRunStore(),
    digests: new DigestStore(),
    recruiting: new RecruitingStore(),
  };
}
type Stores = ReturnType<typeof createStores>;

/** What the services need from the running bot: wake the delivery worker, a user's time zone. */
interface Runtime {
  kick: () => void;
  timeZonesOf: (userIds: readonly string[]) => Promise<ReadonlyMap<string, string | null>>;
}

/** The reference program's use cases over one database. */
function createServices(db: Db, stores: Stores, config: Config, now: () => Date, runtime: Runtime) {
  const { kick } = runtime;
  const work = new UnitOfWork(db, stores.outbox, stores.revisions, stores.homes, now, kick);
  const requests = requestUseCases({
    db,
    work,
    requests: stores.requests,
    directory: stores.directory,
    usage: stores.usage,
    outcomes: stores.outcomes,
    forms: stores.forms,
    rules: config.rules,
    now,
  });
  const directory = new DirectoryService({
    db,
    work,
    directory: stores.directory,
    importer: new DirectoryImport(db),
    nominations: stores.nominations,
    requests: stores.requests,
    forms: stores.forms,
    usage: stores.usage,
    recruiting: stores.recruiting,
    windowDays: config.rules.windowDays,
    now,
  });
  const index = new DirectoryIndex(db, stores.snapshots, stores.revisions, config.rules, now);
  const matches = new MatchService(db, index, stores.snapshots, now);
  const lifecycle = new LifecycleService({
    db,
    work,
    requests: stores.requests,
    directory: stores.directory,
    close: requests.close,
    timeZonesOf: runtime.timeZonesOf,
    policy: config.lifecycle,
    now,
  });
  const homes = new HomeService({
    db,
    requests: stores.requests,
    queries: requests.queries,
    outcomes: stores.outcomes,
    homes: stores.homes,
    matches,
    now,
  });
  const events = new EventLog(db, stores.events, now);
  const erasure = new ErasureService({
    db,
    work,
    erasures: new ErasureStore(),
    directory: stores.directory,
    requests: stores.requests,
    retentionDays: config.dataRetentionDays,
    now,
  });
  const housekeeping = new Housekeeping({
    db,
    outbox: stores.outbox,
    events: stores.events,
    retentionDays: config.outboxRetentionDays,
    now,
  });
  const reportService = new ReportService({ db, store: new ReportStore(), rules: config.rules, now });
  const gaps = new GapsService({ db, store: new GapsStore(), rules: config.rules, now });
  const recruiting = new RecruitingService({ db, work, store: stores.recruiting, now });
  const pipeline = new PipelineQueries(db, new PipelineStore(), now);
  const digests = new DigestService({
    db,
    work,
    store: stores.digests,
    reports: reportService,
    schedule: config.digest,
    now,
  });
  return {
    work,
    requests,
    directory,
    matches,
    lifecycle,
    homes,
    events,
    erasure,
    housekeeping,
    reportService,
    gaps,
    recruiting,
    pipeline,
    digests,
  };
}

/** The composition root: config -> db -> stores -> services -> Bolt app -> listeners -> jobs. */
export async function createRefdesk(config: Config, options: RefdeskOptions = {}): Promise<Refdesk> {
  const logger = options.logger ?? createLogger(config);
  const now = options.now ?? (() => new Date());

  const db = openDatabase(config.databaseUrl, config.databasePoolSize, logger);
  await migrate(db);
  const stores = createStores();
  let worker: DeliveryWorker | undefined;
  let timeZones: UserTimeZones | undefined;
  const services = createServices(db, stores, config, now, {
    kick: () => worker?.kick(),
    timeZonesOf: async (userIds) => (await timeZones?.zonesOf(userIds)) ?? new Map(),
  });

  // Listeners use Bolt's client: a view races a trigger_id that expires in 3 s, so retry once,
  // quickly, and never sit out a Retry-After.
  const clientOptions: WebClientOptions = {
    slackApiUrl: config.slackApiUrl,
    logger,
    retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 500 },
    rejectRateLimitedCalls: true,
    ...options.clientOptions,
  };
  // The delivery worker's own client: no hidden retries, and a 429's Retry-After comes back to the
  // worker, which reschedules the message in the outbox.
  const deliveryClient = new WebClient(config.botToken, {
    slackApiUrl: config.slackApiUrl,
    logger,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: config.deliveryTimeoutMs,
  });
  // Deferred so start() awaits auth.test itself and reports a refused token in one line.
  const connection = createConnection(config, db, logger, options);
  const app = new App({
    token: config.botToken,
    receiver: connection.receiver,
    logger,
    // Without it Bolt resets the logger to info and LOG_LEVEL=error would still print warnings.
    logLevel: logger.getLevel(),
    clientOptions,
    // refdesk keeps its state in the database; Bolt's in-memory conversation store only costs time.
    convoStore: false,
    deferInitialization: true,
  });
  const roles = new ManagerRoles(app.client, config.managersChannel, config.managers, logger, now);
  const sync = new ReplicaSync(db, stores.revisions, logger);
  timeZones = new UserTimeZones(db, stores.users, app.client, logger, now);
  const homePublisher = new HomePublisher(
    services.homes,
    roles,
    config.rules.windowDays,
    logger,
    new ProgramSection(services.reportService, logger, now, services.gaps),
  );
  app.use(oncePerEvent(services.events));
  registerListeners(app, {
    ...services,
    roles,
    sync,
    timeZones,
    homePublisher,
    reports: {
      service: services.reportService,
      viewers: new ReportViewers(roles, app.client, config.reportViewers, logger, now),
      teams: new Teams(app.client, logger, now),
    },
    logger,
    now,
  });
  app.error(async (error) => {
    logger.error('unhandled error in a listener', error);
  });

  const refs: MessageRefs = {
    get: (key) => stores.outbox.getRef(db, key),
    cardShows: (requestId, contactIds, noneEligible) =>
      stores.requests.setCardContacts(db, requestId, contactIds, noneEligible ? now().toISOString() : null),
  };
  const notifier = new SlackNotifier(
    deliveryClient,
    services.requests.queries,
    refs,
    config.managersChannel,
    services.matches,
    services.directory,
    homePublisher,
    config.lifecycle.maxReminders,
    new PostPacer(options.postSpacingMs ?? 1_000, now),
    new DigestPublisher(services.digests, logger),
    services.recruiting,
  );
  worker = new DeliveryWorker({
    db,
    outbox: stores.outbox,
    deliver: (d) => notifier.deliver(d),
    onGaveUp: (d, error) => tellManagersOfFailure(services.work, d, error),
    now,
    logger,
    policy: options.delivery,
  });
  const lifecycleIntervalMs = options.lifecycleIntervalMs ?? config.lifecycleIntervalMs;
  const pipelineOwners = new PipelineOwners(db, new PipelineStore(), app.client, logger, now);
  const lifecycle = new LifecycleJob(
    services.lifecycle,
    lifecycleIntervalMs,
    logger,
    async () => {
      if (await services.digests.queueIfDue()) logger.info('weekly digest queued');
      const pruned = await services.housekeeping.run();
      const erased = await services.erasure.applyRetention();
      if (pruned.sentMessages + pruned.eventIds + erased > 0)
        logger.info(
          `housekeeping: ${pruned.sentMessages} sent messages and ${pruned.eventIds} event ids pruned, ${erased} old requests erased`,
        );
      // The pipeline names reps by email until Slack tells their ids (users.lookupByEmail).
      const owners = await pipelineOwners.resolve();
      if (owners.resolved > 0) logger.info(`pipeline: ${owners.resolved} owners found in Slack by email`);
    },
    () => stores.periodicRuns.claim(db, 'lifecycle', lifecycleIntervalMs),
  );
  sync.onChange('managers', () => roles.invalidate());
  sync.onReconnect(() => {
    roles.invalidate();
    services.matches.forget();
  });

  return {
    app,
    db,
    worker,
    lifecycle,
    roles,
    sync,
    requests: services.requests,
    async start() {
      try {
        await app.init();
      } catch (error) {
        const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
        throw new Error(`Slack did not accept SLACK_BOT_TOKEN (auth.test: ${reason})`);
      }
      // Load the directory index before the first typeahead needs it.
      await services.matches.warm();
      const server = await connection.start(app);
      if (options.startWorker !== false) worker!.start();
      if (options.startLifecycle !== false) lifecycle.start();
      sync.start();
      roles.warm();
      return server;
    },
    async stop() {
      await connection.stop(app).catch(() => undefined);
      sync.stop();
      await lifecycle.stop();
      await worker!.stop();
      await db.destroy();
    },
  };
}

/** The managers hear once about a message that could not be delivered (never about their own notice). */
async function tellManagersOfFailure(work: UnitOfWork, d: Delivery, error: unknown): Promise<void> {
  const quiet: readonly string[] = ['delivery_failed', 'home_refresh', 'managers_home_refresh'];
  if (quiet.includes(d.notification.type)) return;
  const e = error as { data?: { error?: string }; message?: string };
  const requestId = 'requestId' in d.notification ? d.notification.requestId : null;
  await work.run([], async (_trx, notify) =>
    notify({
      to: 'managers',
      notification: {
        type: 'delivery_failed',
        deliveryId: d.id,
        failedType: d.notification.type,
        requestId,
        error: e.data?.error ?? e.message ?? 'unknown error',
      },
    }),
  );
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
  const server = await refdesk.start();
  const { port } = server.address() as AddressInfo;
  const mode = config.appToken
    ? `Socket Mode, /healthz on port ${port}`
    : `HTTP on port ${port} (POST /slack/events, GET /healthz)`;
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
