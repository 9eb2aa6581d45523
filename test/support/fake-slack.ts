import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { modalProblems } from '../slack/blocks/block-kit-limits.ts';

/** One Web API call as the local server saw it; JSON-valued form fields are parsed. */
export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  token: string | undefined;
  /** When it arrived (ms) and whether the answer was a success (HTTP 200 and not ok: false). */
  at: number;
  succeeded: boolean;
  /** What the server answered. */
  response?: unknown;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Answer only after this long, like a slow Slack. */
  delayMs?: number;
  /** Do what Slack would (the default answer; a post is kept), then answer with this reply's delay or reset. */
  acted?: boolean;
  /** Close the connection instead of answering (after the delay), like a reset on the way back. */
  reset?: boolean;
}

/** A message as a conversation's history shows it. */
type Message = Record<string, unknown> & { ts: string; thread_ts?: unknown };

/** A file uploaded through files.getUploadURLExternal, the upload URL and files.completeUploadExternal. */
export interface FakeFile {
  id: string;
  filename: string;
  altText?: string;
  title?: string;
  /** The bytes posted to the upload URL; null until then. */
  bytes: Buffer | null;
  completed: boolean;
  /** The channel completeUploadExternal shared it to; none keeps it private to the app. */
  channels: string[];
  /** files.info calls so far: the first `fileProcessingPolls` of them see it still processing. */
  infoCalls: number;
}

/** Decides the reply to a call; return undefined to fall through to the default reply. */
export type Interceptor = (call: ApiCall) => FakeReply | undefined;

const DEFAULT_MANAGERS = ['U0RM1', 'U0RM2'];

/** Posting to a user id lands in the app's DM with them, which has its own D... id. */
const dmOf = (channel: string) => (/^[UW]/.test(channel) ? `D${channel.slice(1)}` : channel);

const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata']);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseParams(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json'))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = JSON_FIELDS.has(key) ? JSON.parse(value) : value;
  }
  return params;
}

/**
 * A local stand-in for the Slack Web API (and for response_url): records every call and
 * answers like Slack does. Tests can make any method fail with `intercept`.
 */
export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: { path: string; body: Record<string, unknown> }[] = [];
  managers: string[] = [...DEFAULT_MANAGERS];
  groups: Record<string, string[]> = {};
  timeZones: Record<string, string> = {};
  /** users.lookupByEmail: the user id of each email Slack knows; any other is users_not_found. */
  emails: Record<string, string> = {};
  /** The modals Slack holds, by view id, as the last successful views.open, push or update left them. */
  readonly views = new Map<string, Record<string, unknown>>();
  /** Which view each trigger_id opened or pushed. */
  readonly viewOpenedBy = new Map<string, string>();
  /** Each user's Home tab as last published. */
  readonly homes = new Map<string, Record<string, unknown>>();
  /** The messages posted to each conversation (a DM under its D... id), oldest first. */
  private readonly conversations = new Map<string, Message[]>();
  /** Files uploaded to Slack, by id. */
  readonly files = new Map<string, FakeFile>();
  /** How many files.info calls see an uploaded file still processing (empty mimetype); Infinity: never ready. */
  fileProcessingPolls = 1;
  private interceptors: Interceptor[] = [];
  /** Interceptors that are part of the fake itself (e.g. Socket Mode's apps.connections.open): reset keeps them. */
  private routes: Interceptor[] = [];
  private server: Server | null = null;
  private tsCounter = 0;
  /**
   * Bumped by `reset`. The URLs handed out carry it, and calls to an older generation's URLs (late
   * work of an app stopped between tests) are answered but neither recorded nor intercepted.
   */
  private generation = 0;
  port = 0;

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/g${this.generation}/api/`;
  }

  responseUrl(id: string | number): string {
    return `http://127.0.0.1:${this.port}/g${this.generation}/response/${id}`;
  }

  /** Back to a fresh fake: nothing recorded, no interceptors, the default managers, groups and time zones. */
  reset(): void {
    this.generation++;
    this.calls.length = 0;
    this.responses.length = 0;
    this.managers = [...DEFAULT_MANAGERS];
    this.groups = {};
    this.timeZones = {};
    this.emails = {};
    this.interceptors = [];
    this.views.clear();
    this.viewOpenedBy.clear();
    this.homes.clear();
    this.conversations.clear();
    this.tsCounter = 0;
    this.files.clear();
    this.fileProcessingPolls = 1;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
    this.server = null;
  }

  /** Adds an interceptor; returns a function that removes it. */
  intercept(interceptor: Interceptor): () => void {
    this.interceptors.push(interceptor);
    return () => {
      this.interceptors = this.interceptors.filter((i) => i !== interceptor);
    };
  }

  /** Adds an interceptor that stays through `reset`, for behaviour of the fake itself. */
  route(interceptor: Interceptor): void {
    this.routes.push(interceptor);
  }

  /** A message someone else posts to a channel: it shows in the history, not in the app's calls. */
  postByOthers(channel: string, text: string): void {
    const messages = this.conversations.get(channel) ?? [];
    messages.push({ type: 'message', text, ts: this.nextTs() });
    this.conversations.set(channel, messages);
  }

  /** Makes the next `times` calls of `method` get `reply`. */
  failNext(method: string, times: number, reply: FakeReply): void {
    let left = times;
    this.intercept((call) => {
      if (call.method !== method || left <= 0) return undefined;
      left--;
      return reply;
    });
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages delivered to a channel or user (DMs are posted to the user id); failed attempts are left out. */
  messagesTo(channel: string): Record<string, unknown>[] {
    return this.callsTo('chat.postMessage')
      .filter((c) => c.succeeded && c.params.channel === channel)
      .map((c) => c.params);
  }

  /**
   * The messages posted to a channel or user as they look now: each successful post, replaced by
   * the last successful chat.update of its ts.
   */
  currentMessages(channel: string): Record<string, unknown>[] {
    return this.callsTo('chat.postMessage')
      .filter((c) => c.succeeded && c.params.channel === channel)
      .map((post) => {
        const ts = (post.response as { ts?: string } | undefined)?.ts;
        const update = this.callsTo('chat.update').findLast((u) => u.succeeded && u.params.ts === ts);
        return update?.params ?? post.params;
      });
  }

  /**
   * Polls `probe` (sync or async) until it returns something truthy. Ten seconds: under the full suite
   * (both databases, replicas) this 2-core machine has stalled a click's answer past five.
   */
  async waitFor<T>(
    probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
    timeoutMs = 10_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline)
        throw new Error('timed out waiting for the fake Slack to see the expected call');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** The messages of a conversation that `keep` keeps, newest first, as its history reads them. */
  private posted(channel: string, keep: (m: Message) => boolean): Message[] {
    return (this.conversations.get(channel) ?? []).filter(keep).reverse();
  }

  /** A message's ts, as Slack's: the second it was posted, and a counter that keeps ts unique. */
  private nextTs(): string {
    this.tsCounter++;
    return `${Math.floor(Date.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  /** One page of a history, newest first, as Slack pages it: `oldest`, `limit` (default 100) and `cursor`. */
  private page(p: Record<string, unknown>, messages: Message[]): Record<string, unknown> {
    const oldest = Number(p.oldest ?? 0);
    const newer = messages.filter((m) => Number(m.ts) >= oldest);
    const from = Number(p.cursor ?? 0);
    const limit = Number(p.limit ?? 100);
    const next = from + limit < newer.length ? String(from + limit) : '';
    return {
      ok: true,
      messages: newer.slice(from, from + limit),
      has_more: next !== '',
      response_metadata: { next_cursor: next },
    };
  }

  /** Keeps what a successful call left at Slack: a posted message, a modal, a Home tab. */
  private hold(call: ApiCall): void {
    if (call.method === 'chat.postMessage') {
      const { channel, ts } = call.response as { channel?: string; ts?: string };
      if (!channel || !ts) return;
      const messages = this.conversations.get(channel) ?? [];
      messages.push({ ...call.params, type: 'message', ts });
      this.conversations.set(channel, messages);
      return;
    }
    const view = (call.response as { view?: { id?: string } } | undefined)?.view;
    if (!call.method.startsWith('views.') || !view?.id) return;
    if (call.method === 'views.publish') {
      this.homes.set(String(call.params.user_id), view);
      return;
    }
    this.views.set(view.id, view);
    if (call.params.trigger_id) this.viewOpenedBy.set(String(call.params.trigger_id), view.id);
  }

  /** Where a file's bytes go, like files.slack.com's upload URL: multipart, the file in the `body` field. */
  private async receiveUpload(req: IncomingMessage, res: ServerResponse, generation: number, id: string) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = await new Response(Buffer.concat(chunks), {
      headers: { 'content-type': req.headers['content-type'] ?? '' },
    }).formData();
    const body = form.get('body') ?? form.get('file');
    const file = generation === this.generation ? this.files.get(id) : undefined;
    if (file && body instanceof Blob) file.bytes = Buffer.from(await body.arrayBuffer());
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${file?.bytes?.length ?? 0}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const upload = /^\/g(\d+)\/upload\/(F\w+)$/.exec(req.url ?? '');
    if (upload) return this.receiveUpload(req, res, Number(upload[1]), upload[2]!);
    const raw = await readBody(req);
    // `/g<n>` names the generation of the URL; bench/ processes call the bare paths.
    const [, generation, url = '/'] = /^(?:\/g(\d+))?(\/.*)?$/.exec(req.url ?? '/') ?? [];
    const current = generation === undefined || Number(generation) === this.generation;
    if (req.method === 'GET' && url === '/stats') {
      // For a benchmark that runs this server in another process: how many calls of each method.
      const counts: Record<string, number> = {};
      for (const call of this.calls) counts[call.method] = (counts[call.method] ?? 0) + 1;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ calls: counts, responses: this.responses.length }));
      return;
    }
    if (url.startsWith('/response/')) {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (current) this.responses.push({ path, body: JSON.parse(raw || '{}') as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const method = url.replace(/^\/api\//, '').split('?')[0]!;
    const auth = req.headers.authorization;
    const call: ApiCall = {
      method,
      params: parseParams(raw, req.headers['content-type']),
      token: auth?.replace(/^Bearer /, ''),
      at: Date.now(),
      succeeded: false,
    };
    if (current) this.calls.push(call);
    let reply: FakeReply | undefined;
    for (const interceptor of current ? [...this.routes, ...this.interceptors] : this.routes) {
      reply = interceptor(call);
      if (reply) break;
    }
    reply ??= { body: this.defaultReply(call) };
    if (reply.acted) reply = { ...reply, status: 200, body: this.defaultReply(call) };
    // A reset before Slack acted leaves nothing done; after it, Slack did what was asked.
    call.succeeded =
      (!reply.reset || reply.acted === true) &&
      (reply.status ?? 200) === 200 &&
      (reply.body as { ok?: boolean } | undefined)?.ok !== false;
    call.response = reply.body;
    if (current && call.succeeded) this.hold(call);
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply!.delayMs));
    if (reply.reset) return void req.socket.destroy();
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? { ok: true }));
  }

  private defaultReply(call: ApiCall): Record<string, unknown> {
    const p = call.params;
    switch (call.method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://example.slack.com/',
          team: 'Example',
          user: 'refdesk',
          team_id: 'T0123',
          user_id: 'UBOT',
          bot_id: 'BBOT',
        };
      case 'chat.postMessage':
        return { ok: true, channel: dmOf(String(p.channel)), ts: this.nextTs(), message: { text: p.text } };
      case 'chat.update':
        return { ok: true, channel: p.channel, ts: p.ts };
      case 'conversations.open':
        return { ok: true, channel: { id: dmOf(String(p.users)) } };
      case 'conversations.history':
        return this.page(
          p,
          this.posted(String(p.channel), (m) => !m.thread_ts),
        );
      case 'conversations.replies':
        return this.page(
          p,
          this.posted(String(p.channel), (m) => m.ts === p.ts || m.thread_ts === p.ts),
        );
      case 'views.open':
      case 'views.update':
      case 'views.push': {
        // Like Slack: a modal it cannot show (e.g. inputs but no submit) is refused, not opened.
        const problems = modalProblems(p.view);
        if (problems.length > 0) {
          return {
            ok: false,
            error: 'invalid_arguments',
            response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) },
          };
        }
        // An update keeps the view's id; each version of a view has a hash of its own.
        const id = call.method === 'views.update' ? String(p.view_id) : `V${this.calls.length}`;
        return { ok: true, view: { ...(p.view as object), id, hash: `${this.calls.length}.hash` } };
      }
      case 'views.publish':
        return { ok: true, view: { id: `V${this.calls.length}`, ...(p.view as object) } };
      case 'conversations.members':
        return { ok: true, members: this.managers, response_metadata: { next_cursor: '' } };
      case 'usergroups.list':
        return {
          ok: true,
          usergroups: Object.entries(this.groups).map(([id, users]) => ({
            id,
            name: `Team ${id}`,
            handle: id.toLowerCase(),
            ...(p.include_users ? { users } : {}),
          })),
        };
      case 'usergroups.users.list':
        return { ok: true, users: this.groups[String(p.usergroup)] ?? [] };
      case 'users.info':
        return { ok: true, user: { id: p.user, tz: this.timeZones[String(p.user)] ?? 'America/New_York' } };
      case 'users.lookupByEmail': {
        const id = this.emails[String(p.email)];
        return id
          ? { ok: true, user: { id, profile: { email: p.email } } }
          : { ok: false, error: 'users_not_found' };
      }
      case 'files.getUploadURLExternal': {
        const id = `F0UPLOAD${String(this.files.size + 1).padStart(4, '0')}`;
        const altText = p.alt_text === undefined ? undefined : String(p.alt_text);
        this.files.set(id, {
          id,
          filename: String(p.filename),
          altText,
          bytes: null,
          completed: false,
          channels: [],
          infoCalls: 0,
        });
        const uploadUrl = `http://127.0.0.1:${this.port}/g${this.generation}/upload/${id}`;
        return { ok: true, upload_url: uploadUrl, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const listed = (typeof p.files === 'string' ? JSON.parse(p.files) : p.files) as {
          id: string;
          title?: string;
        }[];
        const files = listed.map(({ id, title }) => this.files.get(id) && { ...this.files.get(id)!, title });
        if (files.some((f) => !f?.bytes)) return { ok: false, error: 'invalid_arguments' };
        for (const file of files as FakeFile[]) {
          this.files.set(file.id, {
            ...file,
            completed: true,
            channels: p.channel_id ? [String(p.channel_id)] : [],
          });
        }
        // Like Slack: the answer comes before the file is processed, so its mimetype is still empty.
        return {
          ok: true,
          files: (files as FakeFile[]).map((f) => ({
            id: f.id,
            name: f.filename,
            title: f.title,
            mimetype: '',
          })),
        };
      }
      case 'files.info': {
        const file = this.files.get(String(p.file));
        if (!file?.completed) return { ok: false, error: 'file_not_found' };
        file.infoCalls++;
        const ready = file.infoCalls > this.fileProcessingPolls;
        return {
          ok: true,
          file: {
            id: file.id,
            name: file.filename,
            title: file.title,
            mimetype: ready ? 'image/png' : '',
            filetype: ready ? 'png' : '',
            channels: file.channels,
          },
        };
      }
      case 'files.delete':
        return this.files.delete(String(p.file)) ? { ok: true } : { ok: false, error: 'file_not_found' };
      default:
        return { ok: true };
    }
  }
}
