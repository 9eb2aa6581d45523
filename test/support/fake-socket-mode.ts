import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeSlack } from './fake-slack.ts';
import { commandFields, type SigningOptions, type SlackClient, type SlackResponse } from './signed-client.ts';

export const APP_TOKEN = 'xapp-1-A0123-test';

/** Slack drops anything not acknowledged within 3 s. */
const ACK_DEADLINE_MS = 3000;

type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

interface Waiting {
  resolve: (payload: Record<string, unknown> | null) => void;
  timer: NodeJS.Timeout;
}

/**
 * A local stand-in for Slack's Socket Mode service. `apps.connections.open` (on the local Web API
 * server) hands out this server's ws:// URL; each connection gets `hello`; `command`, `interaction`
 * and `event` deliver envelopes and resolve with the acknowledgement's payload, like the HTTP
 * client resolves with the response body, so the same journeys run over either.
 */
export class FakeSocketMode implements SlackClient {
  /** Every acknowledgement the app sent, envelope id -> how many times. */
  readonly acks = new Map<string, number>();
  /** Envelopes delivered and not (yet) acknowledged. */
  readonly unacknowledged = new Set<string>();
  connections = 0;
  private server: WebSocketServer | null = null;
  private socket: WebSocket | null = null;
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly slack: FakeSlack,
    readonly appToken = APP_TOKEN,
  ) {}

  async start(): Promise<void> {
    this.server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    this.slack.route((call) => {
      if (call.method !== 'apps.connections.open') return undefined;
      if (call.token !== this.appToken) return { body: { ok: false, error: 'invalid_auth' } };
      return { body: { ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}` } };
    });
    this.server.on('connection', (socket) => this.accept(socket));
  }

  async stop(): Promise<void> {
    for (const client of this.server?.clients ?? []) client.terminate();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
    this.server = null;
  }

  /** Waits until the app has opened `count` connections in all (reconnects included). */
  async connected(count = 1, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.connections < count || !this.isOpen()) {
      if (Date.now() > deadline) throw new Error(`the app did not open connection ${count}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  isOpen(): boolean {
    return this.socket?.readyState === 1;
  }

  /** Slack recycling the connection: a `disconnect` envelope, after which the app must reconnect. */
  askToReconnect(reason = 'refresh_requested'): void {
    this.socket?.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake' } }));
  }

  /** The connection lost without a goodbye. */
  drop(): void {
    this.socket?.terminate();
  }

  command(fields: Record<string, unknown>): Promise<SlackResponse> {
    return this.deliver('slash_commands', commandFields(fields));
  }

  interaction(payload: Record<string, unknown>): Promise<SlackResponse> {
    return this.deliver('interactive', payload);
  }

  /** A redelivery is marked the HTTP way (an `x-slack-retry-num` header) and sent as `retry_attempt`. */
  event(envelope: Record<string, unknown>, opts: SigningOptions = {}): Promise<SlackResponse> {
    return this.deliver('events_api', envelope, Number(opts.headers?.['x-slack-retry-num'] ?? 0));
  }

  /**
   * Sends one envelope and resolves with its acknowledgement (status 200) or, when none comes
   * within Slack's 3 s, with status 0.
   */
  async deliver(type: EnvelopeType, payload: unknown, retryAttempt = 0): Promise<SlackResponse> {
    if (!this.isOpen()) await this.connected(this.connections);
    const envelopeId = randomUUID();
    const acked = new Promise<Record<string, unknown> | null>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(envelopeId);
        resolve(null);
      }, ACK_DEADLINE_MS);
      this.waiting.set(envelopeId, { resolve, timer });
    });
    this.unacknowledged.add(envelopeId);
    this.socket!.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api'
          ? { retry_attempt: retryAttempt, retry_reason: retryAttempt ? 'timeout' : '' }
          : {}),
      }),
    );
    const body = await acked;
    if (!body) return { status: 0, text: 'not acknowledged within 3 s', json: () => ({}) };
    const text = Object.keys(body).length ? JSON.stringify(body) : '';
    return { status: 200, text, json: () => body };
  }

  private accept(socket: WebSocket): void {
    this.connections++;
    this.socket = socket;
    socket.on('message', (data) => this.acknowledged(String(data)));
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake', approximate_connection_time: 18060 },
        connection_info: { app_id: 'A0123' },
      }),
    );
  }

  private acknowledged(raw: string): void {
    const { envelope_id: id, payload } = JSON.parse(raw) as {
      envelope_id: string;
      payload?: Record<string, unknown>;
    };
    this.acks.set(id, (this.acks.get(id) ?? 0) + 1);
    this.unacknowledged.delete(id);
    const waiting = this.waiting.get(id);
    if (!waiting) return;
    this.waiting.delete(id);
    clearTimeout(waiting.timer);
    waiting.resolve(payload ?? {});
  }
}
