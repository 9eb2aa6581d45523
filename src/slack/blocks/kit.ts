import type {
  ActionsBlock,
  Button,
  ContextBlock,
  HeaderBlock,
  InputBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  PlainTextOption,
  SectionBlock,
} from '@slack/types';
import { truncate } from '../mrkdwn.ts';

/** Small typed constructors for Block Kit, each enforcing the limit Slack would reject. */

export const LIMIT = {
  sectionText: 3000,
  field: 2000,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 75,
  options: 100,
  messageBlocks: 50,
  modalBlocks: 100,
  metadata: 3000,
  modalTitle: 24,
  contextElements: 10,
  fields: 10,
} as const;

export const plain = (text: string, max: number = LIMIT.sectionText): PlainTextElement => ({
  type: 'plain_text',
  text: truncate(text, max),
  emoji: true,
});

/**
 * Verbatim: Slack then links only what refdesk wrote as <...> itself, and never turns a bare
 * "@channel" or "#general" in user text into a mention or a link.
 */
const mrkdwnText = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text, verbatim: true });

export const header = (text: string): HeaderBlock => ({ type: 'header', text: plain(text, LIMIT.header) });

export const section = (mrkdwn: string, blockId?: string): SectionBlock => ({
  type: 'section',
  ...(blockId ? { block_id: blockId } : {}),
  text: mrkdwnText(truncate(mrkdwn, LIMIT.sectionText)),
});

export const fields = (pairs: [label: string, value: string | null][]): SectionBlock => ({
  type: 'section',
  fields: pairs
    .filter((pair): pair is [string, string] => pair[1] !== null && pair[1] !== '')
    .slice(0, LIMIT.fields)
    .map(([label, value]) => mrkdwnText(truncate(`*${label}*\n${value}`, LIMIT.field))),
});

export const context = (...mrkdwn: string[]): ContextBlock => ({
  type: 'context',
  elements: mrkdwn
    .slice(0, LIMIT.contextElements)
    .map((text) => mrkdwnText(truncate(text, LIMIT.sectionText))),
});

export const divider = (): KnownBlock => ({ type: 'divider' });

export function button(text: string, actionId: string, value: object, style?: 'primary' | 'danger'): Button {
  const json = JSON.stringify(value);
  if (json.length > LIMIT.buttonValue) throw new Error(`button value for ${actionId} is too long`);
  return {
    type: 'button',
    text: plain(text, LIMIT.buttonText),
    action_id: actionId,
    value: json,
    ...(style ? { style } : {}),
  };
}

export const actions = (blockId: string, elements: Button[]): ActionsBlock => ({
  type: 'actions',
  block_id: blockId,
  elements,
});

export const option = (text: string, value: string): PlainTextOption => ({
  text: plain(text, LIMIT.optionText),
  value: truncate(value, LIMIT.optionValue),
});

export const input = (
  blockId: string,
  label: string,
  element: InputBlock['element'],
  opts: { optional?: boolean; hint?: string } = {},
): InputBlock => ({
  type: 'input',
  block_id: blockId,
  label: plain(label, 2000),
  element,
  optional: opts.optional ?? false,
  ...(opts.hint ? { hint: plain(opts.hint, 2000) } : {}),
});

/** Messages carry blocks and a plain fallback `text` for notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}
