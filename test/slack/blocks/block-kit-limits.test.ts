import { describe, expect, it } from 'vitest';
import { buttons, messageProblems, modalProblems, mrkdwnStrings } from './block-kit-limits.ts';

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const plain = (text: string) => ({ type: 'plain_text', text });
const section = (text: string) => ({ type: 'section', text: mrkdwn(text) });
const message = (blocks: unknown[], text = 'fallback') => ({ text, blocks });
const modal = (blocks: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: plain('Title'),
  submit: plain('Submit'),
  close: plain('Close'),
  blocks,
  ...extra,
});
const option = (text: string, value = 'v') => ({ text: plain(text), value });
const select = (options: unknown[], type = 'static_select') => ({
  type: 'input',
  block_id: 'b',
  label: plain('Label'),
  element: { type, action_id: 'a', options },
});

/** The checker itself must catch what Slack would reject, or the view tests prove nothing. */
describe('the Block Kit limits checker', () => {
  it('passes a small valid message and modal', () => {
    expect(messageProblems(message([section('hi')]))).toEqual([]);
    expect(modalProblems(modal([select([option('One')])]))).toEqual([]);
  });

  it.each([
    ['no fallback text', message([section('hi')], '')],
    ['blank fallback text', message([section('hi')], '  ')],
    ['51 blocks', message(Array.from({ length: 51 }, () => section('x')))],
    ['no blocks', message([])],
    ['section text of 3001', message([section('x'.repeat(3001))])],
    ['empty section text', message([section('')])],
    ['a section with neither text nor fields', message([{ type: 'section' }])],
    ['header of 151', message([{ type: 'header', text: plain('x'.repeat(151)) }])],
    ['mrkdwn header', message([{ type: 'header', text: mrkdwn('x') }])],
    ['field of 2001', message([{ type: 'section', fields: [mrkdwn('x'.repeat(2001))] }])],
    ['11 fields', message([{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('x')) }])],
    [
      '11 context elements',
      message([{ type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('x')) }]),
    ],
    [
      'button text of 76',
      message([
        { type: 'actions', elements: [{ type: 'button', action_id: 'a', text: plain('x'.repeat(76)) }] },
      ]),
    ],
    [
      'button value of 2001',
      message([
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'a', text: plain('x'), value: 'v'.repeat(2001) }],
        },
      ]),
    ],
    ['block_id of 256', message([{ ...section('x'), block_id: 'b'.repeat(256) }])],
    [
      'duplicate block_id',
      message([
        { ...section('x'), block_id: 'b' },
        { ...section('y'), block_id: 'b' },
      ]),
    ],
    ['an input block in a message', message([select([option('x')])])],
  ])('catches %s in a message', (_name, value) => {
    expect(messageProblems(value)).not.toEqual([]);
  });

  it.each([
    ['101 blocks', modal(Array.from({ length: 101 }, () => section('x')))],
    ['title of 25', modal([section('x')], { title: plain('x'.repeat(25)) })],
    ['submit of 25', modal([section('x')], { submit: plain('x'.repeat(25)) })],
    ['close of 25', modal([section('x')], { close: plain('x'.repeat(25)) })],
    ['no title', modal([section('x')], { title: undefined })],
    ['inputs without submit', modal([select([option('x')])], { submit: undefined })],
    ['private_metadata of 3001', modal([section('x')], { private_metadata: 'm'.repeat(3001) })],
    ['callback_id of 256', modal([section('x')], { callback_id: 'c'.repeat(256) })],
    [
      'action_id of 256',
      modal([{ ...select([option('x')]), element: { type: 'datepicker', action_id: 'a'.repeat(256) } }]),
    ],
    ['option text of 76', modal([select([option('x'.repeat(76))])])],
    ['option value of 76', modal([select([option('x', 'v'.repeat(76))])])],
    ['101 options', modal([select(Array.from({ length: 101 }, (_, i) => option(`o${i}`, `v${i}`)))])],
    ['no options', modal([select([])])],
    [
      'a long initial option',
      modal([
        {
          ...select([option('x')]),
          element: { type: 'external_select', action_id: 'a', initial_option: option('x'.repeat(76)) },
        },
      ]),
    ],
    [
      'a text input over 3000',
      modal([{ ...select([]), element: { type: 'plain_text_input', action_id: 'a', max_length: 3001 } }]),
    ],
    [
      'a placeholder of 151',
      modal([
        {
          ...select([]),
          element: { type: 'plain_text_input', action_id: 'a', placeholder: plain('x'.repeat(151)) },
        },
      ]),
    ],
  ])('catches %s in a modal', (_name, value) => {
    expect(modalProblems(value)).not.toEqual([]);
  });

  it('finds mrkdwn anywhere, including the fallback, but not plain text', () => {
    const strings = mrkdwnStrings({
      text: 'fallback',
      blocks: [
        { type: 'header', text: plain('plain') },
        { type: 'section', text: mrkdwn('one'), fields: [mrkdwn('two')] },
        { type: 'context', elements: [mrkdwn('three')] },
      ],
    });
    expect(strings.sort()).toEqual(['fallback', 'one', 'three', 'two']);
  });

  it('finds buttons anywhere', () => {
    const found = buttons({
      blocks: [
        {
          type: 'section',
          text: mrkdwn('x'),
          accessory: { type: 'button', text: plain('A'), action_id: 'a', value: '1' },
        },
        { type: 'actions', elements: [{ type: 'button', text: plain('B'), action_id: 'b', value: '2' }] },
      ],
    });
    expect(found).toEqual([
      { text: 'A', action_id: 'a', value: '1' },
      { text: 'B', action_id: 'b', value: '2' },
    ]);
  });
});
