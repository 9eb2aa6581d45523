import { addDays, format } from 'date-fns';
import { ACTIONS, APPROVE_FIELDS, DENY_FIELDS, REQUEST_FIELDS as F } from '../../src/slack/ids.ts';
import type { Db } from '../../src/store/database.ts';
import type { FakeSlack } from './fake-slack.ts';
import { MANAGERS_CHANNEL } from './harness.ts';
import { blockAction, nextTrigger, type SlackClient, sample, state } from './signed-client.ts';
import {
  type Answers,
  actionIn,
  blockIdIn,
  type ShownView,
  shownView,
  submissionOf,
  type ViewAction,
} from './views.ts';

export const REP = 'U0REP1';
export const MANAGER = 'U0RM1';
export const OWNER = 'U0OWNER1';

/**
 * What a journey drives: the in-process Harness, or a refdesk process of several on one database
 * (test/support/replicas.ts). `idle` waits for what the app does after an ack; `settled` also for the outbox.
 */
export interface Driver {
  readonly client: SlackClient;
  readonly slack: FakeSlack;
  readonly db: Db;
  nextResponseUrl(): string;
  idle(): Promise<void>;
  settled(): Promise<void>;
}

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

/**
 * The form's state.values for the given fields, shaped like Slack sends them but made by hand: for
 * payloads sent without opening the form (the benchmarks). Tests submit the form refdesk showed.
 */
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

/** How long a modal may take to open: generous for the load test, and only a failing test waits it out. */
const OPENING_MS = 30_000;

/** `/reference <text>` as `user` types it, for a sub-command that opens a modal; resolves with the modal. */
export async function openByCommand(h: Driver, user: string, text: string): Promise<ShownView> {
  const click = { trigger: nextTrigger(), responseUrl: h.nextResponseUrl() };
  await h.client.command({ user_id: user, text, trigger_id: click.trigger, response_url: click.responseUrl });
  return modalOpenedBy(h, click);
}

/** Opens the request form as a rep does, with /reference; resolves with the modal Slack shows. */
export async function openRequestForm(h: Driver, user = REP): Promise<ShownView> {
  const form = await openByCommand(h, user, '');
  // Opening the form also learns the rep's time zone, which the submission is checked in.
  await h.idle();
  return form;
}

/** The request form filled in with `fields` (the defaults for the rest), by the form's block and action ids. */
export function requestAnswers(form: ShownView, fields: RequestFields = {}): Answers {
  const f: RequestFields = { ...defaultRequest(), ...fields };
  return Object.fromEntries(
    Object.entries(F).map(([name, id]) => [
      blockIdIn(form, id.block),
      { [id.action]: f[name as keyof RequestFields] ?? null },
    ]),
  );
}

/** A view refdesk showed, submitted by `user` with `answers` filled in. */
export function submitView(h: Driver, view: ShownView, user: string, answers: Answers = {}) {
  return h.client.interaction(submissionOf(view, user, answers));
}

/** A click (or a pick in a select that dispatches) in a view refdesk showed. */
export function clickInView(
  h: Driver,
  view: ShownView,
  user: string,
  action: ViewAction,
  answers: Answers = {},
) {
  return h.client.interaction(actionIn(view, user, action, answers));
}

/** A click (or a pick) in `view` that opens or pushes another modal; resolves with that modal. */
export async function openFromView(
  h: Driver,
  view: ShownView,
  user: string,
  action: ViewAction,
): Promise<ShownView> {
  const click = actionIn(view, user, action);
  await h.client.interaction(click);
  return h.slack.waitFor(() => shownView(h.slack, String(click.trigger_id)), OPENING_MS);
}

/** The rep opens the request form and submits it with `fields` (the defaults for the rest). */
export async function submitRequest(h: Driver, fields: RequestFields = {}, user = REP) {
  const form = await openRequestForm(h, user);
  return submitView(h, form, user, requestAnswers(form, fields));
}

/** Submits a valid request and returns its id once the card is posted. */
export async function createRequest(h: Driver, fields: RequestFields = {}, user = REP): Promise<number> {
  const before = (await h.db('reference_requests').max({ id: 'id' }).first()) as { id: number | null };
  const res = await submitRequest(h, fields, user);
  if (res.status !== 200 || res.text) throw new Error(`submission failed: ${res.status} ${res.text}`);
  await h.settled();
  const after = (await h.db('reference_requests').max({ id: 'id' }).first()) as { id: number };
  if (after.id === before.id) throw new Error('no request was stored');
  return after.id;
}

export async function contactId(h: Driver, email: string): Promise<number> {
  const row = (await h.db('contacts').where({ email }).first()) as { id: number };
  return row.id;
}

/** The card's channel and ts, as the fake Slack returned them when it was posted. */
export async function cardRef(h: Driver, requestId: number): Promise<{ channel: string; ts: string }> {
  return (await h
    .db('message_refs')
    .where({ key: `card:${requestId}` })
    .first()) as { channel: string; ts: string };
}

/** A click on a button of a message (`value` is the button's JSON); resolves with the ack, its response_url and trigger. */
export async function clickButton(
  h: Driver,
  opts: { user: string; actionId: string; value: object; channel: string; blockId?: string },
) {
  const responseUrl = h.nextResponseUrl();
  const click = blockAction({ ...opts, value: JSON.stringify(opts.value), responseUrl });
  const res = await h.client.interaction(click);
  return { res, responseUrl, trigger: String(click.trigger_id) };
}

/** The modal a click opened; when refdesk refused (not allowed, already decided) it answered privately instead. */
export async function modalOpenedBy(h: Driver, click: { responseUrl: string; trigger: string }) {
  const shown = await h.slack.waitFor(
    () => shownView(h.slack, click.trigger) ?? responsesAt(h, click.responseUrl)[0],
    OPENING_MS,
  );
  if (!('callback_id' in shown)) throw new Error(`no modal opened: ${textOf(shown)}`);
  return shown as ShownView;
}

export function clickCard(h: Driver, action: 'approve' | 'deny', requestId: number, user = MANAGER) {
  const actionId = action === 'approve' ? ACTIONS.approve : ACTIONS.deny;
  return clickButton(h, { user, actionId, value: { requestId }, channel: MANAGERS_CHANNEL });
}

/** A manager clicks Approve or Deny on the card; resolves with the modal Slack shows. */
export async function openDecision(h: Driver, action: 'approve' | 'deny', requestId: number, user = MANAGER) {
  return modalOpenedBy(h, await clickCard(h, action, requestId, user));
}

/** The approve modal filled in: the contact (null: none; left out: as the modal chose it), a note, an override reason. */
export function approvalAnswers(
  view: ShownView,
  fill: { contact?: number | null; note?: string | null; overrideReason?: string },
): Answers {
  const { contact, note, overrideReason } = APPROVE_FIELDS;
  return {
    ...(fill.contact === undefined
      ? {}
      : { [blockIdIn(view, contact.block)]: { [contact.action]: fill.contact && String(fill.contact) } }),
    [note.block]: { [note.action]: fill.note ?? null },
    ...(fill.overrideReason === undefined
      ? {}
      : { [overrideReason.block]: { [overrideReason.action]: fill.overrideReason } }),
  };
}

/** A manager approves on the card: opens the approve modal, picks `contact`, adds a note and submits. */
export async function submitApproval(
  h: Driver,
  requestId: number,
  contact: number | null,
  note: string | null = null,
  user = MANAGER,
  opts: { overrideReason?: string } = {},
) {
  const modal = await openDecision(h, 'approve', requestId, user);
  return submitView(h, modal, user, approvalAnswers(modal, { contact, note, ...opts }));
}

/** The deny modal filled in with the reason for the rep. */
export const denialAnswers = (reason: string | null): Answers => ({
  [DENY_FIELDS.reason.block]: { [DENY_FIELDS.reason.action]: reason },
});

/** A manager denies on the card: opens the deny modal and submits it with `reason`. */
export async function submitDenial(h: Driver, requestId: number, reason: string | null, user = MANAGER) {
  const modal = await openDecision(h, 'deny', requestId, user);
  return submitView(h, modal, user, denialAnswers(reason));
}

const ownerActions = {
  agreed: ACTIONS.ownerAgreed,
  declined: ACTIONS.ownerDeclined,
  cannot_ask: ACTIONS.ownerCannotAsk,
};

export function clickOwnerAnswer(h: Driver, askId: number, answer: keyof typeof ownerActions, user = OWNER) {
  return clickButton(h, {
    user,
    actionId: ownerActions[answer],
    value: { askId },
    channel: `D${user.slice(1)}`,
    blockId: 'owner_answer',
  });
}

export async function currentAskId(h: Driver, requestId: number): Promise<number> {
  const row = (await h.db('reference_requests').where({ id: requestId }).first()) as {
    current_ask_id: number;
  };
  return row.current_ask_id;
}

export async function requestStatus(h: Driver, requestId: number): Promise<string> {
  return ((await h.db('reference_requests').where({ id: requestId }).first()) as { status: string }).status;
}

/** Ephemeral replies sent to a response_url. */
export function responsesAt(h: Driver, responseUrl: string) {
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

let homeEvents = 0;

/** `user` opens refdesk's Home tab; resolves with the text of the Home refdesk publishes for it. */
export async function openHomeTab(h: Driver, user: string): Promise<string> {
  const publishes = () => h.slack.callsTo('views.publish').filter((c) => c.params.user_id === user);
  const before = publishes().length;
  const base = sample('AppHomeOpenedPayload') as Record<string, unknown>;
  await h.client.event({
    ...base,
    type: 'event_callback',
    team_id: 'T0123',
    api_app_id: 'A0123',
    // Event ids are handled once: unique across the harnesses of a run.
    event_id: `EvHome${process.pid}x${++homeEvents}`,
    authorizations: [{ team_id: 'T0123', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    event: {
      ...(base.event as object),
      type: 'app_home_opened',
      user,
      channel: `D${user}`,
      tab: 'home',
      event_ts: '1.1',
    },
  });
  await h.slack.waitFor(() => publishes().length > before);
  return textOf(publishes().at(-1)?.params.view as Record<string, unknown>);
}
