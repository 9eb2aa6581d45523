import { describe, expect, it } from 'vitest';
import { Expiring } from '../src/expiring.ts';

describe('an expiring value', () => {
  it('is loaded once for every caller until its time is up, then again', async () => {
    let now = 0;
    let loads = 0;
    const value = new Expiring(
      1_000,
      async () => ++loads,
      () => new Date(now),
    );
    expect(await Promise.all([value.get(), value.get()])).toEqual([1, 1]);
    now = 1_000;
    expect(await value.get()).toBe(1);
    now = 1_001;
    expect(await value.get()).toBe(2);
  });

  it('forgets a failed load at once, so the next caller tries again', async () => {
    let loads = 0;
    const value = new Expiring(60_000, async () => {
      if (++loads === 1) throw new Error('down');
      return 'up';
    });
    await expect(value.get()).rejects.toThrow('down');
    expect(await value.get()).toBe('up');
    expect(await value.get()).toBe('up');
    expect(loads).toBe(2);
  });
});
