import type { KnownBlock } from '@slack/types';
import type { MatchResult, Suggestion } from '../../domain/matching.ts';
import { escapeText, truncate } from '../mrkdwn.ts';
import { button, context, section } from './kit.ts';

/** "*Jane Doe*, CFO · Acme Health" then why it fits, then what is not ideal. */
export function suggestionText(s: Suggestion, rank?: number): string {
  const c = s.contact;
  const title = c.title ? `, ${escapeText(c.title)}` : '';
  const lines = [
    `${rank === undefined ? '' : `${rank}. `}*${escapeText(c.name ?? 'Unnamed contact')}*${title} · ${escapeText(c.accountName)}`,
  ];
  if (s.reasons.length > 0) lines.push(`:white_check_mark: ${escapeText(s.reasons.join(' · '))}`);
  const concerns = [...s.violations, ...s.warnings];
  if (concerns.length > 0) lines.push(`:warning: ${escapeText([...new Set(concerns)].join(' · '))}`);
  return lines.join('\n');
}

/** Why the list is short or empty: the filter that emptied it, and criteria nobody meets. */
export function matchNotes(result: MatchResult): string[] {
  const notes: string[] = [];
  if (result.relaxed) {
    notes.push(
      `:mag: ${escapeText(result.relaxed.message)}${result.suggestions.length > 0 ? ' The nearest matches:' : ''}`,
    );
  }
  if (result.unmet.length > 0)
    notes.push(`:mag: ${escapeText(result.unmet.join('; '))}; these are the closest.`);
  return notes;
}

/**
 * Matches as sections, each optionally with a button (e.g. "Choose") whose value names the contact.
 * `limit` keeps a modal or message within its block budget.
 */
export function matchBlocks(
  result: MatchResult,
  opts: { title: string; limit: number; choose?: { actionId: string; text: string } },
): KnownBlock[] {
  const blocks: KnownBlock[] = [section(`*${opts.title}*`)];
  for (const note of matchNotes(result)) blocks.push(context(truncate(note, 3000)));
  if (result.suggestions.length === 0) {
    blocks.push(section('_No contact fits yet._'));
    return blocks;
  }
  result.suggestions.slice(0, opts.limit).forEach((s, i) => {
    const block = section(suggestionText(s, i + 1));
    if (opts.choose) {
      block.accessory = button(opts.choose.text, opts.choose.actionId, { contactId: s.contact.id });
    }
    blocks.push(block);
  });
  return blocks;
}
