import type { Logger } from '@slack/logger';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AlreadyDecidedError, InputError, NotAllowedError, NotFoundError } from '../../../src/errors.ts';
import { logFailure } from '../../../src/slack/listeners/deps.ts';

function recorder() {
  const calls: [level: string, ...msg: unknown[]][] = [];
  const at =
    (level: string) =>
    (...msg: unknown[]) =>
      void calls.push([level, ...msg]);
  const logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } as Logger;
  return { logger, calls };
}

describe('logFailure', () => {
  it.each([
    ['not found', new NotFoundError('There is no request REF-9.'), 'warn'],
    ['not allowed', new NotAllowedError('Only reference managers can manage the directory.'), 'warn'],
    ['invalid input', new InputError({ reason: 'Say why.', until: 'Pick a date\nin the future.' }), 'info'],
    ['already decided', new AlreadyDecidedError('REF-9 was already approved.'), 'info'],
    ['a tampered payload zod refused', z.object({ requestId: z.number() }).safeParse({}).error, 'warn'],
  ])('logs %s as one line without a stack', (_name, error, level) => {
    const { logger, calls } = recorder();
    logFailure(logger, 'opening the form', error);
    expect(calls).toEqual([[level, expect.stringMatching(/^opening the form refused: [^\n]+$/)]]);
  });

  it.each([
    [
      'an error code',
      Object.assign(new Error('An API error occurred: expired_trigger_id'), {
        code: 'slack_webapi_platform_error',
        data: { ok: false, error: 'expired_trigger_id' },
      }),
      'answered expired_trigger_id',
    ],
    [
      'a 429',
      Object.assign(new Error('A rate-limit has been reached'), {
        code: 'slack_webapi_rate_limited_error',
        retryAfter: 3,
      }),
      'asked to wait 3 s (rate limited)',
    ],
    [
      'a dropped connection',
      Object.assign(new Error('A request error occurred: fetch failed'), {
        code: 'slack_webapi_request_error',
      }),
      'could not be reached: A request error occurred: fetch failed',
    ],
  ])('logs a Web API failure (%s) as one warning without a stack', (_name, error, said) => {
    const { logger, calls } = recorder();
    logFailure(logger, 'opening the form', error);
    expect(calls).toEqual([['warn', `opening the form failed: Slack ${said}`]]);
  });

  it('logs a Web API error that refdesk must fix (invalid_blocks) as an error, with its stack', () => {
    const { logger, calls } = recorder();
    const error = Object.assign(new Error('An API error occurred: invalid_blocks'), {
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'invalid_blocks' },
    });
    logFailure(logger, 'opening the form', error);
    expect(calls).toEqual([['error', 'opening the form failed', error]]);
  });

  it('logs anything else as an error, with the error itself so its stack is printed', () => {
    const { logger, calls } = recorder();
    const error = new Error('database is locked');
    logFailure(logger, 'opening the form', error);
    expect(calls).toEqual([['error', 'opening the form failed', error]]);
  });
});
