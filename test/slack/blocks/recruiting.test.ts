import { describe, expect, it } from 'vitest';
import type { RecruitingDrive } from '../../../src/domain/recruiting.ts';
import { driveThreadNote } from '../../../src/slack/blocks/recruiting.ts';
import type { Nomination } from '../../../src/store/nomination-store.ts';
import { mrkdwnOf } from '../../support/journey.ts';

const drive: RecruitingDrive = {
  id: 7,
  segment: { industry: 'Healthcare' },
  seniority: null,
  activity: null,
  wanted: 2,
  pipeline: { amount: 1_000_000, count: 3, currency: 'USD' },
  status: 'open',
  createdBy: 'U0MGR',
  createdAt: '2026-12-01T10:00:00.000Z',
  closedAt: null,
};
const stats = { asked: 4, answered: 2, noOneFits: 1, nominations: 1, accepted: 1 };

const nomination = (name: string): Nomination =>
  ({
    id: 3,
    nominatedBy: 'U0OWN',
    entry: { contactName: name, contactEmail: 'x@acme.example', title: null, account: 'Acme <b>' },
    why: 'happy',
    status: 'accepted',
    decidedBy: 'U0MGR',
    decidedAt: '2026-12-02T10:00:00.000Z',
    decisionReason: null,
    contactId: 9,
    driveId: 7,
    createdAt: '2026-12-01T11:00:00.000Z',
  }) as Nomination;

describe("a drive's thread note", () => {
  it('says who did what, with the figures, and escapes what people typed', () => {
    const note = driveThreadNote({ drive, stats }, 'accepted', 'U0OWN', nomination('<!channel> Nina & co'));
    const text = mrkdwnOf({ ...note });
    expect(text).toContain(
      'The nomination of *&lt;!channel&gt; Nina &amp; co* · Acme &lt;b&gt; from <@U0OWN> was accepted by <@U0MGR>.',
    );
    expect(text).toContain(
      'Owners asked: *4* · answered: *2* (1 said no one fits) · nominations: *1*, accepted: *1*',
    );
    expect(text).not.toContain('<!channel>');
  });

  it('names an owner who says no one fits', () => {
    expect(mrkdwnOf({ ...driveThreadNote({ drive, stats }, 'no_one_fits', 'U0OWN', null) })).toContain(
      '<@U0OWN> says no one fits.',
    );
  });
});
