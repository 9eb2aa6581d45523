import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach } from 'vitest';
import { DirectoryImport } from '../../src/services/directory-import.ts';
import { type Db, openDatabase } from '../../src/store/database.ts';
import { type ApiCall, FakeSlack } from './fake-slack.ts';
import { DIRECTORY_CSV, MANAGERS_CHANNEL } from './harness.ts';
import type { Driver } from './journey.ts';
import { cleanEnv, ROOT } from './run-process.ts';
import { SIGNING_SECRET, SignedClient } from './signed-client.ts';
import { createPostgresDatabase, POSTGRES_URL, type TestDatabase } from './test-database.ts';

/** How long a refdesk process may take to boot under tsx and answer /healthz. */
const BOOT_MS = 90_000;
/** How long Slack must see no call for the replicas to count as idle. */
const QUIET_MS = 250;
/** How long a replica may take to stop on SIGTERM before it is killed. */
const STOP_MS = 5_000;

/** Polls `probe` until it returns something truthy; the error names `what` was waited for. */
export async function eventually<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export type ReplicaDatabase = TestDatabase;

/**
 * A database of its own on the test server: empty (nothing migrated, for the replicas to migrate),
 * or a copy of the migrated template.
 */
export async function createReplicaDatabase(empty: boolean): Promise<ReplicaDatabase> {
  if (!POSTGRES_URL) throw new Error('the replica tests need TEST_DATABASE_URL (the postgres project)');
  return createPostgresDatabase('refdesk_replicas', !empty);
}

/**
 * A TCP relay in front of PostgreSQL that lines up the first query of the first `count` connections:
 * each connection logs in at once, but its first query is held until every one of them has sent
 * one (or `timeoutMs` passed), and then all go to the server together. Each replica's first query
 * is its migration's, so the replicas migrate at the same moment, not one after the other as they
 * happen to finish booting. Everything after that passes straight through.
 */
export class ConnectionGate {
  private server: Server | null = null;
  private open = false;
  private gated = 0;
  /** Sends the held first query of a connection. */
  private readonly waiting: (() => void)[] = [];
  private readonly sockets = new Set<Socket>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly target: string,
    private readonly count: number,
    private readonly timeoutMs = BOOT_MS,
  ) {}

  /** Starts listening; resolves with `target` pointing at the relay instead. */
  async start(): Promise<string> {
    this.server = createServer((client) => this.relay(client)).listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.timer = setTimeout(() => this.release(), this.timeoutMs);
    const url = new URL(this.target);
    url.host = `127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return url.toString();
  }

  /** How many first queries it held and let go together. */
  heldBack = 0;

  private relay(client: Socket): void {
    const { hostname, port } = new URL(this.target);
    const upstream = tcpConnect(Number(port || 5432), hostname);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    }
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    upstream.on('data', (d) => client.write(d));
    // The first message is the startup packet (trust auth needs nothing more from the client); the
    // next one is the first query.
    let gated = !this.open && this.gated < this.count;
    if (gated) this.gated++;
    let loggedIn = false;
    const held: Buffer[] = [];
    client.on('data', (d: Buffer) => {
      if (!gated || this.open) return void upstream.write(d);
      if (!loggedIn) {
        loggedIn = true;
        upstream.write(d);
        return;
      }
      held.push(d);
      if (held.length > 1) return;
      this.waiting.push(() => {
        gated = false;
        for (const chunk of held.splice(0)) upstream.write(chunk);
      });
      if (this.waiting.length >= this.count) this.release();
    });
  }

  private release(): void {
    if (this.open) return;
    this.open = true;
    if (this.timer) clearTimeout(this.timer);
    this.heldBack = this.waiting.length;
    for (const send of this.waiting.splice(0)) send();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    for (const socket of this.sockets) socket.destroy();
    if (this.server) await new Promise((resolve) => this.server!.close(resolve));
    this.server = null;
  }
}

/** Children still running: killed when the test process exits, whatever the tests did. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** tsx's loader by path, so a replica can run in a directory of its own (no developer's .env there). */
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** One refdesk process, as `npm run`'s users start it from source: `node --import tsx src/main.ts`. */
export class Replica {
  private out = '';
  private err = '';
  private readonly exit: Promise<void>;
  url = '';
  client!: SignedClient;

  private constructor(
    readonly index: number,
    /** The bot token it calls Slack with: the fake tells its calls from the other replicas' by it. */
    readonly token: string,
    private readonly child: ChildProcess,
  ) {
    live.add(child);
    child.stdout?.on('data', (d) => {
      this.out += d;
    });
    child.stderr?.on('data', (d) => {
      this.err += d;
    });
    this.exit = once(child, 'exit').then(() => {
      live.delete(child);
    });
  }

  /** Starts the process; `healthy()` waits until it serves. */
  static spawn(index: number, env: Record<string, string>, cwd: string): Replica {
    const token = `xoxb-replica-${index}`;
    const child = spawn(process.execPath, ['--import', TSX_LOADER, join(ROOT, 'src/main.ts')], {
      cwd,
      env: cleanEnv({
        SLACK_BOT_TOKEN: token,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        REFERENCE_MANAGERS_CHANNEL: MANAGERS_CHANNEL,
        // The port it picked is read from its "running" line: no race for a free port.
        PORT: '0',
        LOG_LEVEL: 'info',
        // A Monday's weekly digest would be one more message in the counts.
        DIGEST_ENABLED: 'false',
        TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'),
        ...env,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Replica(index, token, child);
  }

  /** Its stderr (warnings and errors) so far. */
  get stderr(): string {
    return this.err;
  }

  /** Everything it printed so far, stdout then stderr. */
  get output(): string {
    return `--- replica ${this.index} (pid ${this.child.pid}, ${this.state}) stdout:\n${this.out}\n--- replica ${this.index} stderr:\n${this.err}`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private get state(): string {
    if (this.child.signalCode) return `killed by ${this.child.signalCode}`;
    return this.child.exitCode === null ? 'running' : `exited with ${this.child.exitCode}`;
  }

  /** Waits until it prints its port and answers /healthz; throws when it exits first. */
  async healthy(timeoutMs = BOOT_MS): Promise<void> {
    const port = await eventually(
      () => {
        if (!this.running) throw new Error(`replica ${this.index} ${this.state} before it ran`);
        return /refdesk is running: HTTP on port (\d+)/.exec(this.out)?.[1];
      },
      `replica ${this.index} to start`,
      timeoutMs,
    );
    this.url = `http://127.0.0.1:${port}`;
    const res = await fetch(`${this.url}/healthz`);
    if (!res.ok) throw new Error(`replica ${this.index} /healthz answered ${res.status}`);
    this.client = new SignedClient(`${this.url}/slack/events`);
  }

  /** Sends `signal` (SIGKILL: dies on the spot, as on an OOM kill or a lost host) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    await this.exit;
  }

  /** SIGTERM, as an orchestrator stops it; SIGKILL when it has not exited after STOP_MS. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_MS);
    await this.exit;
    clearTimeout(timer);
  }
}

export interface ReplicaSetOptions {
  /** How many processes (2). */
  count?: number;
  /** Environment of every replica, on top of the defaults (HTTP mode, LOG_LEVEL=info, managers from the channel). */
  env?: Record<string, string>;
  /**
   * An empty database: nothing migrated and no directory, so the replicas migrate it as they start.
   * Otherwise a copy of the migrated template with the fixture directory imported before they start.
   */
  empty?: boolean;
  /** Hold the replicas' first database connections until each has opened one (see ConnectionGate). */
  sameMomentMigrations?: boolean;
}

/**
 * Several refdesk processes on one fresh PostgreSQL database, all started at the same moment, and
 * one fake Slack in the test process that every replica calls. `driver(i)` drives a journey
 * (test/support/journey.ts) through replica i.
 */
export class ReplicaSet {
  readonly slack = new FakeSlack();
  readonly replicas: Replica[] = [];
  private database: ReplicaDatabase | null = null;
  /** In front of the database when the replicas' migrations are to start at the same moment. */
  gate: ConnectionGate | null = null;
  private connection: Db | null = null;
  private readonly cwd = mkdtempSync(join(tmpdir(), 'refdesk-replicas-'));
  private responses = 0;
  /** The environment every replica gets. */
  private env: Record<string, string> = {};

  private constructor(private readonly options: ReplicaSetOptions) {}

  /** Starts the fake Slack, the database and the replicas; on failure everything started is stopped. */
  static async start(options: ReplicaSetOptions = {}): Promise<ReplicaSet> {
    const set = new ReplicaSet(options);
    try {
      await set.boot();
      return set;
    } catch (error) {
      await set.stop();
      throw error;
    }
  }

  private async boot(): Promise<void> {
    const { empty = false, count = 2, env = {}, sameMomentMigrations } = this.options;
    await this.slack.start();
    this.database = await createReplicaDatabase(empty);
    this.connection = openDatabase(this.database.url);
    if (!empty) {
      const result = await new DirectoryImport(this.db).importCsv(DIRECTORY_CSV, new Date());
      if (!result.ok) throw new Error(`fixture directory is invalid: ${JSON.stringify(result.issues)}`);
    }
    let databaseUrl = this.database.url;
    if (sameMomentMigrations) {
      this.gate = new ConnectionGate(databaseUrl, count);
      databaseUrl = await this.gate.start();
    }
    this.env = { SLACK_API_URL: this.slack.apiUrl, DATABASE_URL: databaseUrl, ...env };
    for (let i = 0; i < count; i++) this.replicas.push(Replica.spawn(i, this.env, this.cwd));
    await this.healthy(this.replicas);
  }

  private async healthy(replicas: Replica[]): Promise<void> {
    const started = await Promise.allSettled(replicas.map((r) => r.healthy()));
    const failed = started.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
    if (failed.length > 0) throw new Error(`${failed.join('; ')}\n${this.logs()}`);
  }

  /** Starts one more replica on the same database and fake Slack, e.g. one a test is going to kill. */
  async add(): Promise<Replica> {
    const replica = Replica.spawn(this.replicas.length, this.env, this.cwd);
    this.replicas.push(replica);
    await this.healthy([replica]);
    return replica;
  }

  /** The test's own connection to the replicas' database. */
  get db(): Db {
    if (!this.connection) throw new Error('the replica set has no database yet');
    return this.connection;
  }

  at(index: number): Replica {
    const replica = this.replicas[index];
    if (!replica) throw new Error(`there is no replica ${index}`);
    return replica;
  }

  /** A journey driver whose requests go to replica `index`; the fake Slack and database are shared. */
  driver(index: number): Driver {
    const replica = this.at(index);
    return {
      get client() {
        return replica.client;
      },
      slack: this.slack,
      db: this.db,
      nextResponseUrl: () => this.nextResponseUrl(),
      idle: () => this.idle(),
      settled: () => this.settled(),
    };
  }

  nextResponseUrl(): string {
    return this.slack.responseUrl(`replicas-${++this.responses}`);
  }

  /**
   * What the replicas do after an ack cannot be counted from outside their processes: they count
   * as idle once Slack has seen no call and no response_url post for a moment.
   */
  async idle(timeoutMs = 10_000): Promise<void> {
    let seen = -1;
    let since = Date.now();
    await eventually(
      () => {
        const now = this.slack.calls.length + this.slack.responses.length;
        if (now !== seen) {
          seen = now;
          since = Date.now();
        }
        return Date.now() - since >= QUIET_MS;
      },
      'Slack to see no more calls from the replicas',
      timeoutMs,
    );
  }

  /**
   * Idle, and the outbox holds nothing due within `horizonMs` and nothing claimed (a claim of a
   * killed replica counts until its lease runs out and another replica has sent it).
   */
  async settled(timeoutMs = 30_000, horizonMs = 1_500): Promise<void> {
    await this.idle(timeoutMs);
    await eventually(
      async () => {
        const now = new Date();
        const horizon = new Date(now.getTime() + horizonMs).toISOString();
        const row = (await this.db('outbox')
          .where({ status: 'pending' })
          .where((q) =>
            q.where('next_attempt_at', '<=', horizon).orWhere('locked_until', '>', now.toISOString()),
          )
          .count({ n: '*' })
          .first()) as { n: number | string };
        return Number(row.n) === 0;
      },
      'the outbox to be sent',
      timeoutMs,
    );
    await this.idle(timeoutMs);
  }

  async mark(): Promise<Mark> {
    const row = (await this.db('outbox').max({ id: 'id' }).first()) as { id: number | null } | undefined;
    return {
      calls: this.slack.calls.length,
      outboxId: Number(row?.id ?? 0),
      stderr: this.replicas.map((r) => r.stderr.length),
    };
  }

  /** The Web API calls since `mark`, from every replica. */
  callsSince(mark: Mark): ApiCall[] {
    return this.slack.calls.slice(mark.calls);
  }

  /** The outbox rows queued since `mark`, oldest first. */
  async outboxSince(mark: Mark): Promise<OutboxRow[]> {
    const rows = (await this.db('outbox')
      .where('id', '>', mark.outboxId)
      .orderBy('id')
      .select('id', 'kind', 'status', 'attempts', 'conversation', 'notification')) as (Omit<
      OutboxRow,
      'notification'
    > & { notification: string })[];
    return rows.map((r) => ({ ...r, notification: JSON.parse(r.notification) as Record<string, unknown> }));
  }

  /** What replica `index` wrote to stderr since `mark`. */
  stderrSince(mark: Mark, index: number): string {
    return this.at(index).stderr.slice(mark.stderr[index] ?? 0);
  }

  /** Every replica's output, for a failing test. */
  logs(): string {
    return this.replicas.map((r) => r.output).join('\n');
  }

  /** Stops every replica still running (SIGTERM, then SIGKILL), drops the database and stops the fake. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.replicas.map((r) => r.stop()));
    await this.gate?.stop();
    await this.connection?.destroy().catch(() => undefined);
    await this.database?.drop().catch(() => undefined);
    await this.slack.stop();
    rmSync(this.cwd, { recursive: true, force: true });
  }
}

/** Prints every replica's output when a test of the file fails. */
export function printLogsOnFailure(set: () => ReplicaSet | undefined): void {
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      const logs = set()?.logs();
      if (logs) console.error(logs);
    });
  });
}

/** Successful chat.postMessage calls per outbox delivery id (every post names its delivery in metadata). */
export function postsPerDelivery(calls: readonly ApiCall[]): Map<number, number> {
  const posts = new Map<number, number>();
  for (const call of calls) {
    if (call.method !== 'chat.postMessage' || !call.succeeded) continue;
    const delivery = (call.params.metadata as { event_payload?: { delivery?: unknown } } | undefined)
      ?.event_payload?.delivery;
    if (typeof delivery === 'number') posts.set(delivery, (posts.get(delivery) ?? 0) + 1);
  }
  return posts;
}

/**
 * Deliveries Slack shows more than once, as "<id> <kind>" (the kind when `rows` has it) with how many
 * times: empty when every message was posted once.
 */
export function duplicatePosts(
  calls: readonly ApiCall[],
  rows: readonly OutboxRow[] = [],
): Record<string, number> {
  const kinds = new Map(rows.map((r) => [r.id, r.kind]));
  return Object.fromEntries(
    [...postsPerDelivery(calls)]
      .filter(([, n]) => n > 1)
      .map(([id, n]) => [`${id} ${kinds.get(id) ?? '?'}`.trim(), n]),
  );
}

export interface OutboxRow {
  id: number;
  kind: string;
  status: string;
  attempts: number;
  conversation: string;
  notification: Record<string, unknown>;
}

/** Where a test started: what came before it (calls, outbox rows, log lines) is not its to judge. */
export interface Mark {
  calls: number;
  outboxId: number;
  stderr: number[];
}

let events = 0;
/** An Events API envelope around `event`, as Slack sends it, with an event_id of its own. */
export function eventEnvelope(event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: 'x',
    team_id: 'T0123',
    api_app_id: 'A0123',
    type: 'event_callback',
    event_id: `Ev0REPLICA${process.pid}${++events}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: 'T0123', user_id: 'UBOT', is_bot: true, is_enterprise_install: false },
    ],
    event: { event_ts: `${Date.now() / 1000}`, ...event },
  };
}
