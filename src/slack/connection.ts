import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type App, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '@slack/logger';

/** Bolt refuses signatures older than this; refdesk refuses ones dated this far ahead too. */
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export interface ConnectionOptions {
  port: number;
  logger: Logger;
  /** Whether the database answers; `/healthz` says 503 when it does not. */
  databaseReachable: () => Promise<boolean>;
}

export interface HttpOptions extends ConnectionOptions {
  signingSecret: string;
}

export interface SocketOptions extends ConnectionOptions {
  appToken: string;
  /** Web API base for `apps.connections.open` (GovSlack, a local test server); Slack's by default. */
  slackApiUrl?: string;
  /** How long a pong may take; a dropped socket is reconnected after this long. Bolt's default is 5 s. */
  clientPingTimeout?: number;
}

/**
 * How Slack reaches refdesk. Either way `GET /healthz` answers on `port`, so one liveness probe
 * serves both modes.
 */
export interface SlackConnection {
  readonly receiver: Receiver;
  /** Starts receiving; resolves with the HTTP server listening on `port`. */
  start(app: App): Promise<Server>;
  stop(app: App): Promise<void>;
}

type HealthCheck = () => Promise<string | null>;

function answerHealth(check: HealthCheck, res: ServerResponse): void {
  void check().then((problem) => {
    res.writeHead(problem ? 503 : 200, { 'content-type': 'text/plain' });
    res.end(problem ?? 'ok');
  });
}

const databaseCheck =
  (options: ConnectionOptions): HealthCheck =>
  async () =>
    (await options.databaseReachable()) ? null : 'database unreachable';

/** Slack posts every request to `POST /slack/events`; several replicas can sit behind a load balancer. */
export function httpConnection(options: HttpOptions): SlackConnection {
  const check = databaseCheck(options);
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: '/slack/events',
    logger: options.logger,
    processBeforeResponse: false,
    customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => answerHealth(check, res) }],
  });
  refuseFutureTimestamps(receiver, options.logger);
  return {
    receiver,
    start: async (app) => (await app.start(options.port)) as Server,
    stop: async (app) => {
      await app.stop();
    },
  };
}

/**
 * Bolt only refuses old timestamps; a request signed with a time in the future could be replayed
 * until then, so it gets the same 401 as a bad signature.
 */
function refuseFutureTimestamps(receiver: HTTPReceiver, logger: Logger): void {
  const bolt = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const signedAt = Number(req.headers['x-slack-request-timestamp']);
    const ahead = signedAt - Date.now() / 1000;
    if (ahead > MAX_CLOCK_SKEW_SECONDS) {
      logger.warn(`refused a request signed ${Math.round(ahead)} s in the future`);
      res.writeHead(401).end();
      return;
    }
    bolt(req, res);
  };
}

/**
 * One outbound WebSocket to Slack: no public URL needed. Bolt reconnects when Slack sends
 * `disconnect` or the socket drops; `/healthz` says 503 while it is not connected.
 */
export function socketConnection(options: SocketOptions): SlackConnection {
  const receiver = new SocketModeReceiver({
    appToken: options.appToken,
    logger: options.logger,
    clientPingTimeout: options.clientPingTimeout,
    installerOptions: { clientOptions: options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {} },
  });
  let connected = false;
  receiver.client.on('connected', () => {
    connected = true;
  });
  receiver.client.on('close', () => {
    connected = false;
  });
  const database = databaseCheck(options);
  const check: HealthCheck = async () => (await database()) ?? (connected ? null : 'socket not connected');
  let health: Server | undefined;
  const closeHealth = () =>
    new Promise<void>((resolve) => (health ? health.close(() => resolve()) : resolve()));
  return {
    receiver,
    async start(app) {
      health = await listenForHealth(options.port, check);
      try {
        await app.start();
      } catch (error) {
        await closeHealth();
        throw error;
      }
      return health;
    },
    async stop(app) {
      await app.stop();
      await closeHealth();
    },
  };
}

async function listenForHealth(port: number, check: HealthCheck): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/healthz') answerHealth(check, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return server;
}
