import { unversioned } from '../../src/slack/ids.ts';
import type { FakeSlack } from './fake-slack.ts';
import { interactionBy, submission } from './signed-client.ts';

interface Option {
  text: { type: string; text: string };
  value: string;
}

interface Element {
  type: string;
  action_id?: string;
  value?: string;
  text?: unknown;
  options?: Option[];
  option_groups?: { options: Option[] }[];
  initial_value?: string;
  initial_option?: Option;
  initial_options?: Option[];
  initial_date?: string;
  initial_user?: string;
}

interface Block {
  type: string;
  block_id?: string;
  element?: Element;
  elements?: Element[];
  accessory?: Element;
}

/** A view as Slack holds it after refdesk opened, pushed or updated it: the view sent, with Slack's id and hash. */
export interface ShownView {
  id: string;
  hash: string;
  callback_id: string;
  private_metadata: string;
  blocks: Block[];
  [field: string]: unknown;
}

/** A click on the button `actionId` (the one whose value is `value`, when several share the id), or a pick of `selected`. */
export type ViewAction = { actionId: string; value?: string; selected?: string };

/** What a user gives an input: text, a date, a user id, the value of an option, or the values of several. */
export type Answer = string | string[] | null;
/** What a user fills in, by block id and action id; every input not named keeps what the view set. */
export type Answers = Record<string, Record<string, Answer>>;

/** The view opened or pushed with `triggerId`, as Slack holds it now (after any views.update of it). */
export function shownView(slack: FakeSlack, triggerId: string): ShownView | undefined {
  const id = slack.viewOpenedBy.get(triggerId);
  return id === undefined ? undefined : (slack.views.get(id) as ShownView);
}

/** `view` as refdesk's latest views.update of it left it. */
export function updatedView(slack: FakeSlack, view: ShownView): ShownView {
  return (slack.views.get(view.id) as ShownView | undefined) ?? view;
}

/** What Slack shows in place of `view` after a submission answered `response_action: 'update'`. */
export function viewAfter(view: ShownView, ack: { json(): Record<string, unknown> }): ShownView {
  const { response_action: action, view: next } = ack.json() as { response_action?: string; view?: object };
  if (action !== 'update' || !next)
    throw new Error(`the submission of ${view.callback_id} did not update it`);
  return { ...(next as ShownView), id: view.id, hash: `${view.hash}+` };
}

/** The block of `view` whose id is `blockId`, or a version of it (`contact~1`: see `versioned`). */
export function blockIdIn(view: ShownView, blockId: string): string {
  const block = view.blocks.find((b) => b.block_id !== undefined && unversioned(b.block_id) === blockId);
  if (!block?.block_id) throw new Error(`the view ${view.callback_id} has no block ${blockId}`);
  return block.block_id;
}

const elementsOf = (block: Block): Element[] =>
  [block.element, block.accessory, ...(block.elements ?? [])].filter((e): e is Element => !!e);

function offered(element: Element, value: string): Option {
  const options = [...(element.options ?? []), ...(element.option_groups ?? []).flatMap((g) => g.options)];
  const found = options.find((o) => o.value === value);
  if (!found) throw new Error(`${element.action_id} offers no option ${JSON.stringify(value)}`);
  return found;
}

function one(element: Element, answer: Answer): string | null {
  if (Array.isArray(answer)) throw new Error(`${element.action_id} takes one value, not a list`);
  return answer;
}

function many(element: Element, answer: Answer): string[] {
  if (!Array.isArray(answer)) throw new Error(`${element.action_id} takes a list of values`);
  return answer;
}

const plain = (text: string) => ({ type: 'plain_text', text });

/** Slack leaves `selected_option` out when nothing is picked. */
const picked = (type: string, option: Option | undefined) => ({
  type,
  ...(option ? { selected_option: option } : {}),
});

/** The state Slack reports for an element: the answer when given, else what the view set initially. */
function elementState(element: Element, answer: Answer | undefined): Record<string, unknown> | null {
  const given = answer !== undefined;
  const { type } = element;
  switch (type) {
    case 'plain_text_input':
    case 'number_input':
      return { type, value: given ? one(element, answer) : (element.initial_value ?? null) };
    case 'datepicker':
      return { type, selected_date: given ? one(element, answer) : (element.initial_date ?? null) };
    case 'users_select': {
      const user = given ? one(element, answer) : element.initial_user;
      return { type, ...(user ? { selected_user: user } : {}) };
    }
    case 'static_select':
    case 'radio_buttons':
    case 'external_select': {
      if (!given) return picked(type, element.initial_option);
      const value = one(element, answer);
      if (value === null) return picked(type, undefined);
      // An external select's options come from refdesk's typeahead, not from the view: any value will do.
      return picked(
        type,
        type === 'external_select' ? { text: plain(value), value } : offered(element, value),
      );
    }
    case 'multi_static_select':
    case 'checkboxes':
      return {
        type,
        selected_options: given
          ? many(element, answer).map((v) => offered(element, v))
          : (element.initial_options ?? []),
      };
    default:
      return null; // buttons and the like have no state
  }
}

/**
 * The `state.values` Slack sends for `view`: every input filled as `answers` says (block id, then
 * action id), the rest as the view set it. Refuses a block, action or option the view does not have,
 * so a test breaks when the form changes. Slack's own client checks (required inputs, max_length,
 * min_value) are not applied: tests of refdesk's validation send what that client would refuse.
 */
export function viewState(view: ShownView, answers: Answers = {}): Record<string, Record<string, unknown>> {
  const unused = new Set(Object.entries(answers).flatMap(([b, a]) => Object.keys(a).map((x) => `${b}.${x}`)));
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks) {
    for (const element of elementsOf(block)) {
      const { block_id: blockId } = block;
      const actionId = element.action_id;
      if (!blockId || !actionId) continue;
      const given = unused.delete(`${blockId}.${actionId}`);
      const state = elementState(element, given ? answers[blockId]![actionId] : undefined);
      if (state) values[blockId] = { ...values[blockId], [actionId]: state };
    }
  }
  if (unused.size > 0) throw new Error(`the view ${view.callback_id} has no input ${[...unused].join(', ')}`);
  return values;
}

/** The view_submission Slack sends when `user` submits `view` filled in with `answers`. */
export function submissionOf(view: ShownView, user: string, answers: Answers = {}): Record<string, unknown> {
  return submission(user, view, viewState(view, answers));
}

/**
 * The block_actions Slack sends when `user` clicks the button `actionId` in `view` (the one whose
 * value is `value`, when several share the id), or picks `selected` in a select that dispatches.
 */
export function actionIn(
  view: ShownView,
  user: string,
  action: ViewAction,
  answers: Answers = {},
): Record<string, unknown> {
  const found = view.blocks.flatMap((block) =>
    elementsOf(block)
      .filter(
        (e) => e.action_id === action.actionId && (action.value === undefined || e.value === action.value),
      )
      .map((element) => ({ block, element })),
  );
  if (found.length !== 1)
    throw new Error(`the view ${view.callback_id} has ${found.length} ${action.actionId} to click`);
  const [{ block, element }] = found as [{ block: Block; element: Element }];
  const done =
    action.selected === undefined
      ? { value: element.value, text: element.text }
      : { selected_option: { text: plain(action.selected), value: action.selected } };
  return {
    type: 'block_actions',
    ...interactionBy(user),
    container: { type: 'view', view_id: view.id },
    // Like Slack, the view's state already holds what was just picked.
    view: { ...view, state: { values: viewState(view, withPick(answers, block, action)) } },
    actions: [
      { type: element.type, action_id: action.actionId, block_id: block.block_id, ...done, action_ts: '1.2' },
    ],
  };
}

function withPick(answers: Answers, block: Block, action: ViewAction): Answers {
  if (action.selected === undefined || !block.block_id) return answers;
  return { ...answers, [block.block_id]: { ...answers[block.block_id], [action.actionId]: action.selected } };
}

/** The block_suggestion Slack sends while `user` types `value` into the external select `actionId` of `view`. */
export function suggestionIn(view: ShownView, user: string, actionId: string, value: string) {
  const block = view.blocks.find((b) => elementsOf(b).some((e) => e.action_id === actionId));
  if (!block) throw new Error(`the view ${view.callback_id} has no ${actionId}`);
  const { trigger_id: _none, ...by } = interactionBy(user);
  return {
    type: 'block_suggestion',
    ...by,
    container: { type: 'view', view_id: view.id },
    action_id: actionId,
    block_id: block.block_id,
    value,
    view: { ...view, state: { values: viewState(view) } },
  };
}

/** The Home tab refdesk last published for `user`, with the id Slack gave it. */
export function publishedHome(slack: FakeSlack, user: string): ShownView {
  const home = slack.homes.get(user);
  if (!home) throw new Error(`refdesk published no Home for ${user}`);
  return home as ShownView;
}
