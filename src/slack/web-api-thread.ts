import type { Worker } from 'node:worker_threads';
import type { Logger } from '@slack/logger';
import type {
  ChatPostMessageArguments,
  ChatUpdateArguments,
  RetryOptions,
  ViewsOpenArguments,
  ViewsPublishArguments,
  ViewsPushArguments,
  ViewsUpdateArguments,
} from '@slack/web-api';
import { moduleWorker } from '../module-worker.ts';

/** How a set of calls treats Slack: listener calls race a trigger_id; deliveries have a schedule of their own. */
export interface LaneOptions {
  retryConfig?: RetryOptions;
  rejectRateLimitedCalls?: boolean;
  timeout?: number;
}

export type Lane = 'listener' | 'delivery';

export interface WebApiSetup {
  token: string;
  slackApiUrl?: string;
  logLevel: string;
  lanes: Record<Lane, LaneOptions>;
}

/** What refdesk reads back from a call: where a posted message landed. */
export interface Posted {
  channel?: string;
  ts?: string;
}

/** The Web API calls that carry views and messages. */
export interface SlackWeb {
  views: {
    open(args: ViewsOpenArguments): Promise<void>;
    push(args: ViewsPushArguments): Promise<void>;
    update(args: ViewsUpdateArguments): Promise<void>;
    publish(args: ViewsPublishArguments): Promise<void>;
  };
  chat: {
    postMessage(args: ChatPostMessageArguments): Promise<Posted>;
    update(args: ChatUpdateArguments): Promise<void>;
  };
}

export interface Call {
  id: number;
  lane: Lane;
  method: string;
  args: Record<string, unknown>;
}

/** A WebClient error's fields that refdesk reads (code, data.error, retryAfter, statusCode). */
export interface CallError {
  message: string;
  code?: string;
  data?: unknown;
  retryAfter?: number;
  statusCode?: number;
}

export type Reply = { id: number; ok: true; result: Posted } | { id: number; ok: false; error: CallError };

// The worker module next to this one: .ts from sources, .js once compiled.
const ENTRY = new URL(`./web-api-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

/**
 * Runs the Web API client for views and messages on a thread of its own. A call's encoding,
 * HTTP round trip and response handling allocate far more than acking a request does; on the
 * main thread their garbage collection pauses held up other requests' acks.
 */
export class WebApiThread {
  private worker: Worker | null = null;
  private stopping = false;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(result: Posted): void; reject(error: Error): void }>();

  constructor(
    private readonly setup: WebApiSetup,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopping = false;
    this.worker ??= this.spawn();
  }

  /** Lets calls in flight finish (for at most `graceMs`), then ends the thread. */
  async stop(graceMs = 2_000): Promise<void> {
    this.stopping = true;
    const deadline = Date.now() + graceMs;
    while (this.pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  lane(lane: Lane): SlackWeb {
    const call = (method: string) => (args: object) => this.call(lane, method, args).then(() => undefined);
    return {
      views: {
        open: call('views.open'),
        push: call('views.push'),
        update: call('views.update'),
        publish: call('views.publish'),
      },
      chat: { postMessage: (args) => this.call(lane, 'chat.postMessage', args), update: call('chat.update') },
    };
  }

  private call(lane: Lane, method: string, args: object): Promise<Posted> {
    if (this.stopping) return Promise.reject(new Error(`${method}: refdesk is shutting down`));
    this.worker ??= this.spawn();
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, lane, method, args: encoded(args) } satisfies Call);
    });
  }

  private spawn(): Worker {
    const worker = moduleWorker(ENTRY, {
      workerData: this.setup,
      resourceLimits: { maxYoungGenerationSizeMb: 48 },
    });
    worker.on('message', (reply: Reply) => {
      const call = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!call) return;
      if (reply.ok) call.resolve(reply.result);
      else call.reject(Object.assign(new Error(reply.error.message), reply.error));
    });
    worker.on('error', (error) => this.logger.error('the Web API thread failed', error));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      for (const call of this.pending.values()) call.reject(new Error('the Web API thread stopped'));
      this.pending.clear();
    });
    return worker;
  }
}

/**
 * The arguments with their objects (views, blocks) JSON-encoded, as the form post carries them
 * anyway: a string crosses to the thread in one copy, and the client's debug log (built on every
 * call, whatever the level) does not deep-copy it.
 */
export function encoded(args: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined) continue;
    out[key] = value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
  }
  return out;
}
