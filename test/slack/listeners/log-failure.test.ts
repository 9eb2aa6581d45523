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

  it('logs anything else as an error, with the error itself so its stack is printed', () => {
    const { logger, calls } = recorder();
    const error = new Error('database is locked');
    logFailure(logger, 'opening the form', error);
    expect(calls).toEqual([['error', 'opening the form failed', error]]);
  });
});
