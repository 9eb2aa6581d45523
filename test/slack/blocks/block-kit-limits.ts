/**
 * A generic checker for Block Kit limits: walks any message or modal as plain JSON and
 * lists every place Slack would reject (or silently cut). Limits as documented for
 * blocks, elements and composition objects; stricter where refdesk chose to be.
 */
export const BLOCK_KIT = {
  messageBlocks: 50,
  modalBlocks: 100,
  messageText: 40_000,
  text: 3000,
  sectionText: 3000,
  header: 150,
  field: 2000,
  fields: 10,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  optionText: 75,
  optionValue: 75,
  optionDescription: 75,
  options: 100,
  optionGroups: 100,
  placeholder: 150,
  inputLabel: 2000,
  inputHint: 2000,
  textInputLength: 3000,
  id: 255,
  privateMetadata: 3000,
  modalTitle: 24,
} as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const SELECTS = new Set([
  'static_select',
  'multi_static_select',
  'external_select',
  'multi_external_select',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
]);
const WITH_PLACEHOLDER = new Set([
  ...SELECTS,
  'plain_text_input',
  'datepicker',
  'timepicker',
  'number_input',
]);
const ID_KEYS = ['action_id', 'block_id', 'callback_id', 'external_id'];

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const arrayOf = (value: Json | undefined): Json[] | null => (Array.isArray(value) ? value : null);
const toJson = (surface: unknown): Json => JSON.parse(JSON.stringify(surface)) as Json;

class Checker {
  readonly problems: string[] = [];
  readonly blockIds = new Map<string, string>();

  fail(path: string, problem: string) {
    this.problems.push(`${path}: ${problem}`);
  }

  max(path: string, value: string | undefined, max: number, what: string) {
    if (value !== undefined && value.length > max) {
      this.fail(path, `${what} is ${value.length} characters (max ${max})`);
    }
  }

  count(path: string, list: unknown[] | null, min: number, max: number, what: string) {
    if (list === null) return;
    if (list.length < min) this.fail(path, `${what}: ${list.length} (min ${min})`);
    if (list.length > max) this.fail(path, `${what}: ${list.length} (max ${max})`);
  }

  /** A text object: the right type, 1..max characters. */
  text(path: string, value: Json | undefined, max: number, plainOnly = false) {
    if (value === undefined) return;
    if (!isObject(value) || (value.type !== 'plain_text' && value.type !== 'mrkdwn')) {
      return this.fail(path, 'is not a text object');
    }
    if (plainOnly && value.type !== 'plain_text') this.fail(path, 'must be plain_text');
    if (typeof value.text !== 'string' || value.text.length === 0) return this.fail(path, 'text is empty');
    this.max(path, value.text, max, 'text');
  }

  option(path: string, value: Json) {
    if (!isObject(value)) return this.fail(path, 'option is not an object');
    this.text(`${path}.text`, value.text, BLOCK_KIT.optionText);
    if (typeof value.value !== 'string' || value.value.length === 0) this.fail(path, 'option value is empty');
    else this.max(`${path}.value`, value.value, BLOCK_KIT.optionValue, 'option value');
    this.text(`${path}.description`, value.description, BLOCK_KIT.optionDescription, true);
  }

  element(path: string, el: JsonObject) {
    const type = String(el.type);
    if (type === 'button') {
      this.text(`${path}.text`, el.text, BLOCK_KIT.buttonText, true);
      if (typeof el.value === 'string') this.max(`${path}.value`, el.value, BLOCK_KIT.buttonValue, 'value');
      if (typeof el.url === 'string') this.max(`${path}.url`, el.url, BLOCK_KIT.url, 'url');
    }
    if (WITH_PLACEHOLDER.has(type))
      this.text(`${path}.placeholder`, el.placeholder, BLOCK_KIT.placeholder, true);
    if (SELECTS.has(type)) {
      const options = arrayOf(el.options);
      const groups = arrayOf(el.option_groups);
      if (type.endsWith('static_select') && !options && !groups)
        this.fail(path, 'a static select needs options');
      this.count(`${path}.options`, options, 1, BLOCK_KIT.options, 'options');
      this.count(`${path}.option_groups`, groups, 1, BLOCK_KIT.optionGroups, 'option groups');
      for (const [i, o] of (options ?? []).entries()) this.option(`${path}.options[${i}]`, o);
      for (const [i, g] of (groups ?? []).entries()) {
        const groupOptions = isObject(g) ? arrayOf(g.options) : null;
        this.count(`${path}.option_groups[${i}].options`, groupOptions, 1, BLOCK_KIT.options, 'options');
        for (const [j, o] of (groupOptions ?? []).entries()) {
          this.option(`${path}.option_groups[${i}].options[${j}]`, o);
        }
      }
      if (el.initial_option !== undefined) this.option(`${path}.initial_option`, el.initial_option);
      for (const [i, o] of (arrayOf(el.initial_options) ?? []).entries()) {
        this.option(`${path}.initial_options[${i}]`, o);
      }
    }
    if (type === 'plain_text_input') {
      for (const key of ['max_length', 'min_length']) {
        const n = el[key];
        if (typeof n === 'number' && (n < 0 || n > BLOCK_KIT.textInputLength)) {
          this.fail(`${path}.${key}`, `${n} is outside 0..${BLOCK_KIT.textInputLength}`);
        }
      }
    }
  }

  block(path: string, block: Json) {
    if (!isObject(block) || typeof block.type !== 'string') return this.fail(path, 'is not a block');
    if (typeof block.block_id === 'string') {
      const seen = this.blockIds.get(block.block_id);
      if (seen) this.fail(path, `block_id "${block.block_id}" is also used at ${seen}`);
      this.blockIds.set(block.block_id, path);
    }
    switch (block.type) {
      case 'section': {
        const fields = arrayOf(block.fields);
        if (block.text === undefined && !fields) this.fail(path, 'a section needs text or fields');
        this.text(`${path}.text`, block.text, BLOCK_KIT.sectionText);
        this.count(`${path}.fields`, fields, 1, BLOCK_KIT.fields, 'fields');
        for (const [i, f] of (fields ?? []).entries()) this.text(`${path}.fields[${i}]`, f, BLOCK_KIT.field);
        if (isObject(block.accessory)) this.element(`${path}.accessory`, block.accessory);
        break;
      }
      case 'header':
        this.text(`${path}.text`, block.text, BLOCK_KIT.header, true);
        if (block.text === undefined) this.fail(path, 'a header needs text');
        break;
      case 'context': {
        const elements = arrayOf(block.elements) ?? [];
        this.count(`${path}.elements`, elements, 1, BLOCK_KIT.contextElements, 'context elements');
        for (const [i, e] of elements.entries()) {
          if (isObject(e) && (e.type === 'mrkdwn' || e.type === 'plain_text')) {
            this.text(`${path}.elements[${i}]`, e, BLOCK_KIT.text);
          }
        }
        break;
      }
      case 'actions': {
        const elements = arrayOf(block.elements) ?? [];
        this.count(`${path}.elements`, elements, 1, BLOCK_KIT.actionsElements, 'action elements');
        for (const [i, e] of elements.entries()) {
          if (isObject(e)) this.element(`${path}.elements[${i}]`, e);
        }
        break;
      }
      case 'input':
        this.text(`${path}.label`, block.label, BLOCK_KIT.inputLabel, true);
        this.text(`${path}.hint`, block.hint, BLOCK_KIT.inputHint, true);
        if (!isObject(block.element)) this.fail(path, 'an input needs an element');
        else this.element(`${path}.element`, block.element);
        break;
    }
  }

  /** Checks on every object of the tree: id lengths and text objects anywhere. */
  everywhere(path: string, node: Json) {
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) this.everywhere(`${path}[${i}]`, n);
      return;
    }
    const at = (key: string) => (path ? `${path}.${key}` : key);
    if (!isObject(node)) return;
    for (const key of ID_KEYS) {
      const id = node[key];
      if (typeof id === 'string') {
        if (id.length === 0) this.fail(at(key), 'is empty');
        this.max(at(key), id, BLOCK_KIT.id, key);
      }
    }
    if ((node.type === 'plain_text' || node.type === 'mrkdwn') && 'text' in node) {
      this.text(path, node, BLOCK_KIT.text);
    }
    for (const [key, child] of Object.entries(node)) this.everywhere(at(key), child);
  }

  blocks(blocks: Json | undefined, max: number, inputAllowed: boolean) {
    const list = arrayOf(blocks ?? null);
    if (!list) return this.fail('blocks', 'missing');
    this.count('blocks', list, 1, max, 'blocks');
    for (const [i, b] of list.entries()) {
      this.block(`blocks[${i}]`, b);
      if (!inputAllowed && isObject(b) && b.type === 'input')
        this.fail(`blocks[${i}]`, 'input block in a message');
    }
  }
}

/** Every problem Slack would have with this message (blocks plus fallback `text`). */
export function messageProblems(message: unknown): string[] {
  const json = toJson(message);
  const c = new Checker();
  if (!isObject(json)) return ['message is not an object'];
  if (typeof json.text !== 'string' || json.text.trim() === '') c.fail('text', 'the fallback text is empty');
  else c.max('text', json.text, BLOCK_KIT.messageText, 'text');
  c.blocks(json.blocks, BLOCK_KIT.messageBlocks, false);
  c.everywhere('', json);
  return [...new Set(c.problems)];
}

/** Every problem Slack would have with this modal view. */
export function modalProblems(view: unknown): string[] {
  const json = toJson(view);
  const c = new Checker();
  if (!isObject(json)) return ['view is not an object'];
  if (json.type !== 'modal') c.fail('type', 'is not "modal"');
  if (json.title === undefined) c.fail('title', 'missing');
  c.text('title', json.title, BLOCK_KIT.modalTitle, true);
  c.text('submit', json.submit, BLOCK_KIT.modalTitle, true);
  c.text('close', json.close, BLOCK_KIT.modalTitle, true);
  const blocks = arrayOf(json.blocks) ?? [];
  if (json.submit === undefined && blocks.some((b) => isObject(b) && b.type === 'input')) {
    c.fail('submit', 'a modal with inputs needs a submit button');
  }
  if (json.private_metadata !== undefined) {
    if (typeof json.private_metadata !== 'string') c.fail('private_metadata', 'is not a string');
    else c.max('private_metadata', json.private_metadata, BLOCK_KIT.privateMetadata, 'private_metadata');
  }
  c.blocks(json.blocks, BLOCK_KIT.modalBlocks, true);
  c.everywhere('', json);
  return [...new Set(c.problems)];
}

// Plain throws, not vitest's expect: the fake Web API uses this checker outside vitest too (bench).
function assertNone(problems: string[], what: string): void {
  if (problems.length > 0) throw new Error(`Slack would reject this ${what}:\n${problems.join('\n')}`);
}

export function assertMessageWithinLimits(message: unknown): void {
  assertNone(messageProblems(message), 'message');
}

export function assertModalWithinLimits(view: unknown): void {
  assertNone(modalProblems(view), 'modal');
}

/**
 * Every string Slack parses as mrkdwn: mrkdwn text objects and a message's fallback `text`.
 * plain_text is shown as typed, so mentions in it are not parsed.
 */
export function mrkdwnStrings(surface: unknown): string[] {
  const out: string[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (!isObject(node)) return;
    if (node.type === 'mrkdwn' && typeof node.text === 'string') out.push(node.text);
    for (const child of Object.values(node)) walk(child);
  };
  const json = toJson(surface);
  if (isObject(json) && typeof json.text === 'string') out.push(json.text);
  walk(json);
  return out;
}

/** Every button of a surface, wherever it is. */
export function buttons(surface: unknown): { text: string; action_id: string; value: string }[] {
  const out: { text: string; action_id: string; value: string }[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (!isObject(node)) return;
    if (node.type === 'button') {
      const text = isObject(node.text) ? String(node.text.text) : '';
      out.push({ text, action_id: String(node.action_id), value: String(node.value) });
    }
    for (const child of Object.values(node)) walk(child);
  };
  walk(toJson(surface));
  return out;
}
