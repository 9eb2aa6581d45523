import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadPipelineCurrency } from '../../src/config.ts';

const BOT = {
  SLACK_BOT_TOKEN: 'xoxb-1234-5678-abcdef',
  SLACK_SIGNING_SECRET: 'secret-of-at-least-8',
  REFERENCE_MANAGERS_CHANNEL: 'C0RMQUEUE',
};

describe('PIPELINE_CURRENCY', () => {
  it('defaults to USD, alone (the command line) and in the bot configuration', () => {
    expect(loadPipelineCurrency({})).toBe('USD');
    expect(loadPipelineCurrency({ PIPELINE_CURRENCY: ' ' })).toBe('USD');
    expect(loadConfig(BOT).pipelineCurrency).toBe('USD');
  });

  it('takes a 3-letter code', () => {
    expect(loadPipelineCurrency({ PIPELINE_CURRENCY: ' EUR ' })).toBe('EUR');
    expect(loadConfig({ ...BOT, PIPELINE_CURRENCY: 'GBP' }).pipelineCurrency).toBe('GBP');
  });

  it.each(['eur', 'EURO', 'E1R'])('refuses %j in one line naming the variable', (value) => {
    expect(() => loadPipelineCurrency({ PIPELINE_CURRENCY: value })).toThrow(ConfigError);
    expect(() => loadPipelineCurrency({ PIPELINE_CURRENCY: value })).toThrow(
      'PIPELINE_CURRENCY is invalid: set it to the 3-letter currency code (e.g. EUR) of pipeline rows without a currency column (default USD)',
    );
  });
});
