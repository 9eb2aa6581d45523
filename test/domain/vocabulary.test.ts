import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_KEYS,
  activityBit,
  activityLabel,
  activityMask,
  SENIORITY_KEYS,
  seniorityLabel,
} from '../../src/domain/vocabulary.ts';

describe('activityBit and activityMask', () => {
  it('gives each activity its own bit, in the vocabulary’s order', () => {
    expect(activityBit('reference_call')).toBe(1);
    expect(activityBit('case_study')).toBe(2);
    expect(activityBit('peer_review')).toBe(1 << 8);
    const bits = ACTIVITY_KEYS.map(activityBit);
    expect(new Set(bits).size).toBe(ACTIVITY_KEYS.length);
    for (const bit of bits) expect(bit & (bit - 1)).toBe(0);
  });

  it('sets exactly the bits of the activities in a list', () => {
    expect(activityMask([])).toBe(0);
    expect(activityMask(['reference_call', 'quote'])).toBe(
      activityBit('reference_call') | activityBit('quote'),
    );
    expect(activityMask(['quote', 'quote'])).toBe(activityBit('quote'));
    expect(activityMask(ACTIVITY_KEYS)).toBe((1 << ACTIVITY_KEYS.length) - 1);
    const mask = activityMask(['case_study', 'site_visit']);
    for (const a of ACTIVITY_KEYS) {
      expect((mask & activityBit(a)) !== 0).toBe(a === 'case_study' || a === 'site_visit');
    }
  });
});

describe('labels', () => {
  it('labels activities and seniorities, seniorities from most to least senior', () => {
    expect(activityLabel('case_study')).toBe('Case study interview');
    expect(SENIORITY_KEYS).toEqual(['c_level', 'vp', 'director', 'manager', 'practitioner']);
    expect(seniorityLabel('c_level')).toBe('C-level');
  });
});
