import { describe, expect, it } from 'vitest';
import { escapeText, formatAmount, mention, quote, slackTime, truncate } from '../../../src/slack/mrkdwn.ts';

describe('escapeText', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here>', '&lt;!here&gt;'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['<#C123>', '&lt;#C123&gt;'],
    ['<http://evil|click>', '&lt;http://evil|click&gt;'],
    ['Fish & Chips', 'Fish &amp; Chips'],
    ['&lt;', '&amp;lt;'],
    ['a > b < c', 'a &gt; b &lt; c'],
  ])('neutralises %j', (input, output) => {
    expect(escapeText(input)).toBe(output);
  });

  it('leaves ordinary text alone', () => {
    expect(escapeText('Globex Corp: *bold* _it_ 100% “quoted” émoji 🚀')).toBe(
      'Globex Corp: *bold* _it_ 100% “quoted” émoji 🚀',
    );
  });

  it('leaves no < or > at all', () => {
    const out = escapeText('<<!channel>> <@U1|name> <!subteam^S1> >>');
    expect(out).not.toMatch(/[<>]/);
  });
});

describe('quote', () => {
  it('quotes every line and escapes each', () => {
    expect(quote('first <!channel>\nsecond <@U123>\n\n<http://evil|click> & more')).toBe(
      '>first &lt;!channel&gt;\n>second &lt;@U123&gt;\n>\n>&lt;http://evil|click&gt; &amp; more',
    );
  });

  it('cannot be broken out of with a newline', () => {
    const out = quote('ok\n<!channel>');
    expect(out.split('\n').every((line) => line.startsWith('>'))).toBe(true);
    expect(out).not.toContain('<!channel>');
  });
});

describe('truncate', () => {
  it('keeps text that fits', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('', 3)).toBe('');
  });

  it('cuts to exactly max characters with an ellipsis', () => {
    const out = truncate('abcdef', 4);
    expect(out).toBe('abc…');
    expect(out).toHaveLength(4);
    expect(truncate('x'.repeat(3001), 3000)).toHaveLength(3000);
  });
});

describe('mention, slackTime, formatAmount', () => {
  it('mentions a user', () => {
    expect(mention('U0123')).toBe('<@U0123>');
  });

  it('writes a date Slack localises, with a UTC fallback', () => {
    expect(slackTime('2026-11-22T10:05:00.000Z')).toBe(
      `<!date^${Date.UTC(2026, 10, 22, 10, 5) / 1000}^{date_short_pretty} at {time}|2026-11-22 10:05 UTC>`,
    );
  });

  it('groups thousands and keeps at most two decimals', () => {
    expect(formatAmount(250000)).toBe('250,000');
    expect(formatAmount(1e12)).toBe('1,000,000,000,000');
    expect(formatAmount(12.345)).toBe('12.35');
  });
});
