import { describe, expect, it } from 'vitest';
import { helpMessage, plainReply, statusMessage } from '../../../src/slack/blocks/command-replies.ts';
import { assertMessageWithinLimits, buttons, mrkdwnStrings } from './block-kit-limits.ts';
import { CASES, rawMarkupIn, realistic, worst } from './request-details.ts';

describe('helpMessage', () => {
  it('lists the commands, with blocks and fallback text', () => {
    const message = helpMessage();
    assertMessageWithinLimits(message);
    for (const command of [
      '/reference`',
      '/reference status',
      '/reference cancel REF-12',
      '/reference help',
    ]) {
      expect(message.text).toContain(command);
    }
  });

  it('puts the problem first', () => {
    const message = helpMessage("I don't know `frobnicate`.");
    assertMessageWithinLimits(message);
    expect(message.text.startsWith("I don't know `frobnicate`.\n\n")).toBe(true);
    expect(mrkdwnStrings(message.blocks)[0]).toMatch(/^I don't know `frobnicate`\.\n\n\*refdesk commands\*/);
  });
});

describe('statusMessage', () => {
  it('invites a first ask when there is none', () => {
    const message = statusMessage([]);
    assertMessageWithinLimits(message);
    expect(message.text).toContain('You have no reference asks yet');
  });

  it('lists each ask with where it stands and what happens next', () => {
    const message = statusMessage([realistic('submitted'), realistic('awaiting_owner')]);
    assertMessageWithinLimits(message);
    expect(message.text).toBe('Your reference asks: REF-12, REF-12');
    const text = mrkdwnStrings(message.blocks).join('\n');
    expect(text).toContain('*REF-12* · Globex Corp · _no contact yet_');
    expect(text).toContain('_Waiting for a reference manager_ · Next: A reference manager picks a contact');
    expect(text).toContain('*REF-12* · Globex Corp · *Jane Doe*, CFO · Acme Health');
    expect(text).toContain('Next: The account owner asks the contact');
    expect(buttons(message)).toEqual([]);
  });

  it('fits Block Kit with 20 asks (what listMine returns at most), every text at its limit', () => {
    const asks = Array.from({ length: 20 }, (_, i) =>
      worst(CASES[i % CASES.length]![1], CASES[i % CASES.length]![2]),
    );
    const message = statusMessage(asks);
    assertMessageWithinLimits(message);
    expect(rawMarkupIn(mrkdwnStrings(message))).toEqual([]);
  });

  it('never shows a contact’s email', () => {
    const message = statusMessage(CASES.map(([, status, answer]) => realistic(status, answer)));
    expect(JSON.stringify(message)).not.toContain('jane@acme.example');
  });
});

describe('plainReply', () => {
  it('is one section with the same fallback text', () => {
    const message = plainReply('REF-12 for *Globex* is cancelled.');
    assertMessageWithinLimits(message);
    expect(message).toEqual({
      text: 'REF-12 for *Globex* is cancelled.',
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'REF-12 for *Globex* is cancelled.', verbatim: true },
        },
      ],
    });
  });

  it('cuts a long text in its block but keeps it in the fallback', () => {
    const long = 'x'.repeat(5000);
    const message = plainReply(long);
    assertMessageWithinLimits(message);
    expect(message.text).toBe(long);
  });
});
