import { addDays, format } from 'date-fns';
import {
  ACTIONS,
  APPROVE_FIELDS,
  DENY_FIELDS,
  REQUEST_FIELDS as F,
  VIEWS,
  versioned,
} from '../../src/slack/ids.ts';
import { type Harness, MANAGERS_CHANNEL } from './harness.ts';
import { blockAction, state, viewSubmission } from './signed-client.ts';

export const REP = 'U0REP1';
export const MANAGER = 'U0RM1';
export const OWNER = 'U0OWNER1';

export const inDays = (days: number, from = new Date()): string => format(addDays(from, days), 'yyyy-MM-dd');

export interface RequestFields {
  prospect?: string | null;
  opportunity?: string | null;
  amount?: string | null;
  industry?: string | null;
  products?: string[];
  region?: string | null;
  companySize?: string | null;
  seniority?: string | null;
  activity?: string | null;
  neededBy?: string | null;
  context?: string | null;
  preferredContactId?: string | null;
}

export const defaultRequest = (): Required<RequestFields> => ({
  prospect: 'Globex Prospect Inc',
  opportunity: 'OPP-4711',
  amount: '250000',
  industry: 'Healthcare',
  products: ['Analytics'],
  region: 'EMEA',
  companySize: '1000-4999',
  seniority: 'c_level',
  activity: 'reference_call',
  neededBy: inDays(10),
  context: 'Rollout speed and how the CFO justified the spend.',
  preferredContactId: null,
});

/** The modal's state.values for the given fields, shaped exactly like Slack sends them. */
export function requestValues(fields: RequestFields = {}) {
  const f = { ...defaultRequest(), ...fields };
  return {
    [F.prospect.block]: { [F.prospect.action]: state.text(f.prospect) },
    [F.opportunity.block]: { [F.opportunity.action]: state.text(f.opportunity) },
    [F.amount.block]: { [F.amount.action]: state.number(f.amount) },
    [F.industry.block]: { [F.industry.action]: state.select(f.industry) },
    [F.products.block]: { [F.products.action]: state.multi(f.products) },
    [F.region.block]: { [F.region.action]: state.select(f.region) },
    [F.companySize.block]: { [F.companySize.action]: state.select(f.companySize) },
    [F.seniority.block]: { [F.seniority.action]: state.select(f.seniority) },
    [F.activity.block]: { [F.activity.action]: state.select(f.activity) },
    [F.neededBy.block]: { [F.neededBy.action]: state.date(f.neededBy) },
    [F.context.block]: { [F.context.action]: state.text(f.context) },
    [F.preferredContactId.block]: { [F.preferredContactId.action]: state.external(f.preferredContactId) },
  };
}

export function submitRequest(h: Harness, fields: RequestFields = {}, user = REP) {
  return h.client.interaction(
    viewSubmission({ user, callbackId: VIEWS.request, values: requestValues(fields) }),
  );
}

/** Submits a valid request and returns its id once the card is posted. */
export async function createRequest(h: Harness, fields: RequestFields = {}, user = REP): Promise<number> {
  const before = (await h.db('reference_requests').max({ id: 'id' }).first()) as { id: number | null };
  const res = await submitRequest(h, fields, user);
  if (res.status !== 200 || res.text) throw new Error(`submission failed: ${res.status} ${res.text}`);
  await h.settled();
  const after = (await h.db('reference_requests').max({ id: 'id' }).first()) as { id: number };
  if (after.id === before.id) throw new Error('no request was stored');
  return after.id;
}

export async function contactId(h: Harness, email: string): Promise<number> {
  const row = (await h.db('contacts').where({ email }).first()) as { id: number };
  return row.id;
}

/** The card's channel and ts, as the fake Slack returned them when it was posted. */
export async function cardRef(h: Harness, requestId: number): Promise<{ channel: string; ts: string }> {
  return (await h
    .db('message_refs')
    .where({ key: `card:${requestId}` })
    .first()) as { channel: string; ts: string };
}

export async function clickCard(h: Harness, action: 'approve' | 'deny', requestId: number, user = MANAGER) {
  const responseUrl = h.nextResponseUrl();
  const res = await h.client.interaction(
    blockAction({
      user,
      actionId: action === 'approve' ? ACTIONS.approve : ACTIONS.deny,
      value: JSON.stringify({ requestId }),
      channel: MANAGERS_CHANNEL,
      responseUrl,
    }),
  );
  return { res, responseUrl };
}

/**
 * The approve modal submitted. `overrideReason` fills the override field; `version` is the contact
 * block's version after "Choose" (`contact~1`...), as the view's blocks and metadata then say.
 */
export function submitApproval(
  h: Harness,
  requestId: number,
  contact: number | null,
  note: string | null = null,
  user = MANAGER,
  opts: { overrideReason?: string; version?: number } = {},
) {
  const contactBlock =
    opts.version === undefined
      ? APPROVE_FIELDS.contact.block
      : versioned(APPROVE_FIELDS.contact.block, opts.version);
  const values: Record<string, Record<string, unknown>> = {
    [contactBlock]: {
      [APPROVE_FIELDS.contact.action]: state.external(contact === null ? null : String(contact)),
    },
    [APPROVE_FIELDS.note.block]: { [APPROVE_FIELDS.note.action]: state.text(note) },
  };
  if (opts.overrideReason !== undefined) {
    values[APPROVE_FIELDS.overrideReason.block] = {
      [APPROVE_FIELDS.overrideReason.action]: state.text(opts.overrideReason),
    };
  }
  return h.client.interaction(
    viewSubmission({
      user,
      callbackId: VIEWS.approve,
      privateMetadata: JSON.stringify(
        opts.version === undefined ? { requestId } : { requestId, v: opts.version },
      ),
      values,
      blocks:
        opts.version === undefined
          ? undefined
          : [contactBlock, APPROVE_FIELDS.note.block].map((block_id) => ({ type: 'input', block_id })),
    }),
  );
}

export function submitDenial(h: Harness, requestId: number, reason: string | null, user = MANAGER) {
  return h.client.interaction(
    viewSubmission({
      user,
      callbackId: VIEWS.deny,
      privateMetadata: JSON.stringify({ requestId }),
      values: { [DENY_FIELDS.reason.block]: { [DENY_FIELDS.reason.action]: state.text(reason) } },
    }),
  );
}

const ownerActions = {
  agreed: ACTIONS.ownerAgreed,
  declined: ACTIONS.ownerDeclined,
  cannot_ask: ACTIONS.ownerCannotAsk,
};

export async function clickOwnerAnswer(
  h: Harness,
  askId: number,
  answer: keyof typeof ownerActions,
  user = OWNER,
) {
  const responseUrl = h.nextResponseUrl();
  const res = await h.client.interaction(
    blockAction({
      user,
      actionId: ownerActions[answer],
      value: JSON.stringify({ askId }),
      channel: `D${user.slice(1)}`,
      responseUrl,
      blockId: 'owner_answer',
    }),
  );
  return { res, responseUrl };
}

export async function currentAskId(h: Harness, requestId: number): Promise<number> {
  const row = (await h.db('reference_requests').where({ id: requestId }).first()) as {
    current_ask_id: number;
  };
  return row.current_ask_id;
}

export async function requestStatus(h: Harness, requestId: number): Promise<string> {
  return ((await h.db('reference_requests').where({ id: requestId }).first()) as { status: string }).status;
}

/** Ephemeral replies sent to a response_url. */
export function responsesAt(h: Harness, responseUrl: string) {
  const path = new URL(responseUrl).pathname;
  return h.slack.responses.filter((r) => r.path === path).map((r) => r.body);
}

/** All text of a message's blocks, flattened, for assertions that read like what a user sees. */
export function textOf(message: Record<string, unknown> | undefined): string {
  return JSON.stringify(message?.blocks ?? []) + String(message?.text ?? '');
}

/** The mrkdwn a user would see rendered: every mrkdwn text object plus the fallback text (plain_text never renders mentions). */
export function mrkdwnOf(message: Record<string, unknown> | undefined): string {
  const out: string[] = [String(message?.text ?? '')];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(message?.blocks);
  return out.join('\n');
}

/** A block action from inside a modal (a button, or a select with dispatch_action). */
export function viewAction(
  h: Harness,
  opts: {
    user: string;
    callbackId: string;
    actionId: string;
    value?: string;
    selected?: string;
    privateMetadata?: string;
    values?: Record<string, Record<string, unknown>>;
    viewId?: string;
  },
) {
  const viewId = opts.viewId ?? 'V0MODAL';
  const action =
    opts.selected === undefined
      ? {
          type: 'button',
          action_id: opts.actionId,
          block_id: 'b',
          value: opts.value ?? '{}',
          text: { type: 'plain_text', text: 'x' },
        }
      : {
          type: 'external_select',
          action_id: opts.actionId,
          block_id: 'b',
          selected_option: { text: { type: 'plain_text', text: 'x' }, value: opts.selected },
        };
  return h.client.interaction({
    type: 'block_actions',
    user: { id: opts.user, username: 'u', name: 'u', team_id: 'T0123' },
    api_app_id: 'A0123',
    team: { id: 'T0123', domain: 'example' },
    container: { type: 'view', view_id: viewId },
    trigger_id: `trigger.${Date.now()}.${Math.random()}`,
    view: {
      id: viewId,
      hash: 'hash-1',
      type: 'modal',
      callback_id: opts.callbackId,
      private_metadata: opts.privateMetadata ?? '',
      state: { values: opts.values ?? {} },
    },
    actions: [action],
  });
}

/** The `view` of the latest call to a views.* method. */
export function lastView(h: Harness, method: 'views.open' | 'views.update' | 'views.push') {
  return h.slack.callsTo(method).at(-1)?.params.view as
    | {
        callback_id?: string;
        private_metadata?: string;
        blocks: { type: string; block_id?: string; element?: Record<string, unknown> }[];
      }
    | undefined;
}
