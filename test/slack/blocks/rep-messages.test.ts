import { describe, expect, it } from 'vitest';
import type { RequestDetails } from '../../../src/services/requests/index.ts';
import type { SlackMessage } from '../../../src/slack/blocks/kit.ts';
import {
  repApproved,
  repContactAgreed,
  repDenied,
  repOwnerCouldNot,
  repSubmitted,
} from '../../../src/slack/blocks/rep-messages.ts';
import { assertMessageWithinLimits, buttons, mrkdwnStrings } from './block-kit-limits.ts';
import {
  MANAGER,
  OWNER,
  rawMarkupIn,
  realistic,
  realisticContact,
  worst,
  worstContact,
} from './request-details.ts';

/** Each rep message with the state it is sent in. */
const MESSAGES: [
  name: string,
  build: (d: RequestDetails) => SlackMessage,
  at: (w: typeof realistic) => RequestDetails,
][] = [
  ['repSubmitted', repSubmitted, (d) => d('submitted')],
  ['repApproved', repApproved, (d) => d('awaiting_owner')],
  ['repDenied', repDenied, (d) => d('denied')],
  ['repContactAgreed', repContactAgreed, (d) => d('agreed')],
  ['repOwnerCouldNot (declined)', repOwnerCouldNot, (d) => d('submitted', 'declined')],
  ['repOwnerCouldNot (cannot ask)', repOwnerCouldNot, (d) => d('submitted', 'cannot_ask')],
];

const allText = (value: unknown) => JSON.stringify(value);

describe.each(MESSAGES)('%s', (name, build, at) => {
  it('fits Block Kit with realistic values', () => {
    assertMessageWithinLimits(build(at(realistic)));
  });

  it('fits Block Kit with every text at its limit', () => {
    assertMessageWithinLimits(build(at(worst)));
  });

  it('escapes user text in everything Slack parses', () => {
    expect(rawMarkupIn(mrkdwnStrings(build(at(worst))))).toEqual([]);
  });

  it('has no buttons', () => {
    expect(buttons(build(at(realistic)))).toEqual([]);
  });

  it(
    name === 'repContactAgreed' ? 'carries the contact’s email' : 'never carries the contact’s email',
    () => {
      const realText = allText(build(at(realistic)));
      const worstText = allText(build(at(worst)));
      if (name === 'repContactAgreed') {
        expect(realText).toContain(realisticContact.email);
        expect(worstText).toContain(worstContact.email);
      } else {
        expect(realText).not.toContain(realisticContact.email);
        expect(worstText).not.toContain(worstContact.email);
      }
    },
  );
});

describe('what the rep reads', () => {
  it('repSubmitted names the ask and how to cancel it', () => {
    const message = repSubmitted(realistic('submitted'));
    expect(message.text).toContain('*REF-12* · Reference call for *Globex Corp* by *Fri 4 Dec 2026*');
    expect(allText(message.blocks)).toContain('/reference cancel REF-12');
  });

  it('repApproved says who approved, which contact and who asks them', () => {
    const { text } = repApproved(realistic('awaiting_owner'));
    expect(text).toContain(`approved by <@${MANAGER}>`);
    expect(text).toContain('*Jane Doe*, CFO · Acme Health');
    expect(text).toContain(`<@${OWNER}>, the account owner`);
  });

  it('repDenied quotes the reason', () => {
    const message = repDenied(realistic('denied'));
    expect(message.text).toContain(`was denied by <@${MANAGER}>`);
    expect(allText(message.blocks)).toContain('>No contact fits this prospect.');
  });

  it('repContactAgreed gives the contact card and the brief', () => {
    const message = repContactAgreed(realistic('agreed'));
    expect(message.text).toBe('Jane Doe agreed to help with REF-12 (Globex Corp).');
    const fields = message.blocks.find((b) => b.type === 'section' && 'fields' in b && b.fields);
    expect(fields).toMatchObject({
      fields: [
        { text: '*Name*\nJane Doe' },
        { text: '*Title*\nCFO' },
        { text: '*Company*\nAcme Health' },
        { text: '*Email*\njane@acme.example' },
        { text: `*Account owner*\n<@${OWNER}>` },
      ],
    });
    const text = allText(message.blocks);
    expect(text).toContain('>Jane prefers mornings.');
    expect(text).toContain('by Fri 4 Dec 2026');
  });

  it('repContactAgreed without the contact says so without an email', () => {
    const details = { ...realistic('agreed'), contact: null };
    const message = repContactAgreed(details);
    assertMessageWithinLimits(message);
    expect(message.text).toContain('the contact agreed');
    expect(allText(message)).not.toContain('@acme.example');
  });

  it('repContactAgreed escapes the email too', () => {
    const details = realistic('agreed');
    const odd = {
      ...details,
      contact: { ...details.contact!, email: '<!channel>@acme.example', name: '<@U999>' },
    };
    expect(rawMarkupIn(mrkdwnStrings(repContactAgreed(odd)))).toEqual([]);
  });

  it('repOwnerCouldNot says what the owner answered', () => {
    expect(repOwnerCouldNot(realistic('submitted', 'declined')).text).toContain(
      '*They declined* for Jane Doe',
    );
    expect(repOwnerCouldNot(realistic('submitted', 'cannot_ask')).text).toContain("*Can't ask now*");
  });
});
