import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** A field-complete payload sample from test/fixtures (copied from java-slack-sdk), as a base to override. */
export function sample(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/slack-samples/${name}.json`, import.meta.url), 'utf8'));
}

export interface SlackResponse {
  status: number;
  text: string;
  json(): Record<string, unknown>;
}

type Overrides = Record<string, unknown>;

/** How a test reaches the app: signed HTTP (`SignedClient`) or a Socket Mode connection. */
export interface SlackClient {
  command(fields: Overrides, opts?: SigningOptions): Promise<SlackResponse>;
  interaction(payload: Overrides, opts?: SigningOptions): Promise<SlackResponse>;
  event(envelope: Overrides, opts?: SigningOptions): Promise<SlackResponse>;
}

/** Over HTTP: how to sign (a wrong secret, an old timestamp) and extra headers such as retries. */
export interface SigningOptions {
  timestamp?: number;
  secret?: string;
  headers?: Record<string, string>;
}

/** A slash command's fields as Slack sends them (all strings), on top of the field-complete sample. */
export function commandFields(fields: Overrides): Record<string, string> {
  const all = {
    ...sample('SlashCommandPayload'),
    command: '/reference',
    team_id: 'T0123',
    channel_id: 'C0GENERAL',
    ...fields,
  };
  return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, String(v)]));
}

/** Sends correctly signed requests to the app, the way Slack's servers do. */
export class SignedClient implements SlackClient {
  constructor(
    private readonly url: string,
    private readonly secret = SIGNING_SECRET,
  ) {}

  async post(body: string, contentType: string, opts: SigningOptions = {}): Promise<SlackResponse> {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': sign(opts.secret ?? this.secret, timestamp, body),
        ...opts.headers,
      },
      body,
    });
    const text = await res.text();
    return {
      status: res.status,
      text,
      json: () => (text ? (JSON.parse(text) as Record<string, unknown>) : {}),
    };
  }

  /** A slash command, form-encoded like Slack sends it. */
  command(fields: Overrides, opts?: SigningOptions): Promise<SlackResponse> {
    const form = new URLSearchParams(commandFields(fields));
    return this.post(form.toString(), 'application/x-www-form-urlencoded', opts);
  }

  /** An interactivity payload (block_actions, view_submission, block_suggestion...), as `payload=<json>`. */
  interaction(payload: Overrides, opts?: SigningOptions): Promise<SlackResponse> {
    const form = new URLSearchParams({ payload: JSON.stringify(payload) });
    return this.post(form.toString(), 'application/x-www-form-urlencoded', opts);
  }

  /** An Events API callback, sent as JSON. */
  event(envelope: Overrides, opts?: SigningOptions): Promise<SlackResponse> {
    return this.post(JSON.stringify(envelope), 'application/json', opts);
  }
}

const team = { id: 'T0123', domain: 'example', enterprise_id: '', enterprise_name: '' };
const userOf = (id: string) => ({
  id,
  username: id.toLowerCase(),
  name: id.toLowerCase(),
  team_id: 'T0123',
});

let triggers = 0;
/** A trigger_id as Slack makes one for each user action, unique so a test can find the view it opened. */
export const nextTrigger = (): string => `4916855695380.${++triggers}.trigger`;

/** Who acted, where, and the trigger: the fields every interaction payload carries. */
export const interactionBy = (user: string) => ({
  enterprise: null,
  team,
  user: userOf(user),
  api_app_id: 'A0123',
  trigger_id: nextTrigger(),
});

/** A button click in a message, on top of the field-complete sample. */
export function blockAction(opts: {
  user: string;
  actionId: string;
  value: string;
  channel: string;
  messageTs?: string;
  responseUrl: string;
  blockId?: string;
}): Overrides {
  const base = sample('BlockActionPayload');
  const ts = opts.messageTs ?? '1700000000.000100';
  return {
    ...base,
    type: 'block_actions',
    ...interactionBy(opts.user),
    container: { type: 'message', message_ts: ts, channel_id: opts.channel, is_ephemeral: false },
    channel: { id: opts.channel, name: 'channel' },
    message: { type: 'message', ts, text: '...', blocks: [] },
    state: { values: {} },
    response_url: opts.responseUrl,
    actions: [
      {
        action_id: opts.actionId,
        block_id: opts.blockId ?? 'decision',
        text: { type: 'plain_text', text: 'Button' },
        value: opts.value,
        type: 'button',
        action_ts: '1700000003.000200',
      },
    ],
  };
}

/**
 * A hand-made modal submission with `state.values`, on top of the field-complete sample: for payloads
 * Slack would never send as they are (crafted, tampered with, or for a modal that is gone). A test
 * that submits what refdesk showed builds it with `submissionOf` (views.ts) instead.
 */
let handMade = 0;

export function viewSubmission(opts: {
  user: string;
  callbackId: string;
  values: Record<string, Record<string, unknown>>;
  privateMetadata?: string;
}): Overrides {
  // Each hand-made submission stands for a view of its own, as each modal Slack opens has its own id.
  return submission(
    opts.user,
    {
      id: `V0HANDMADE${++handMade}`,
      callback_id: opts.callbackId,
      private_metadata: opts.privateMetadata ?? '',
    },
    opts.values,
  );
}

/** A view_submission of `view` (id, callback_id, private_metadata, blocks...) with `values` as its state. */
export function submission(
  user: string,
  view: Overrides,
  values: Record<string, Record<string, unknown>>,
): Overrides {
  const base = sample('ViewSubmissionPayload') as { view: Overrides };
  return {
    ...base,
    type: 'view_submission',
    ...interactionBy(user),
    view: { ...base.view, id: 'V0123', type: 'modal', ...view, state: { values } },
  };
}

/** A typeahead request from an external_select. */
export function blockSuggestion(opts: {
  user: string;
  actionId: string;
  blockId: string;
  value: string;
  callbackId: string;
  privateMetadata?: string;
}): Overrides {
  return {
    type: 'block_suggestion',
    user: userOf(opts.user),
    container: { type: 'view', view_id: 'V0123' },
    api_app_id: 'A0123',
    token: 'x',
    action_id: opts.actionId,
    block_id: opts.blockId,
    value: opts.value,
    team: { id: 'T0123', domain: 'example' },
    view: {
      id: 'V0123',
      type: 'modal',
      callback_id: opts.callbackId,
      private_metadata: opts.privateMetadata ?? '',
      state: { values: {} },
    },
  };
}

/** Element states for `viewSubmission` values. */
export const state = {
  text: (value: string | null) => ({ type: 'plain_text_input', value }),
  number: (value: string | null) => ({ type: 'number_input', value }),
  select: (value: string | null) =>
    value === null
      ? { type: 'static_select', selected_option: null }
      : { type: 'static_select', selected_option: { text: { type: 'plain_text', text: value }, value } },
  external: (value: string | null) =>
    value === null
      ? { type: 'external_select', selected_option: null }
      : { type: 'external_select', selected_option: { text: { type: 'plain_text', text: value }, value } },
  multi: (values: string[]) => ({
    type: 'multi_static_select',
    selected_options: values.map((value) => ({ text: { type: 'plain_text', text: value }, value })),
  }),
  date: (value: string | null) => ({ type: 'datepicker', selected_date: value }),
};
