import { describe, expect, it } from 'vitest';
import { NotYet, PostPacer } from '../../src/jobs/post-pacer.ts';
import { TestClock } from '../support/clock.ts';

describe('PostPacer', () => {
  it('gives one channel a slot a second and other channels theirs at once', () => {
    const clock = new TestClock('2026-11-22T10:00:00.000Z');
    const pacer = new PostPacer(1000, clock.now);
    pacer.take('C0MANAGERS');
    pacer.take('U0REP');
    let refused: unknown;
    try {
      pacer.take('C0MANAGERS');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(NotYet);
    expect((refused as NotYet).until.toISOString()).toBe('2026-11-22T10:00:01.000Z');
    clock.advance(999);
    expect(() => pacer.take('C0MANAGERS')).toThrow(NotYet);
    clock.advance(1);
    expect(() => pacer.take('C0MANAGERS')).not.toThrow();
  });
});
