import { subDays } from 'date-fns';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DIRECTORY_COLUMNS } from '../../src/domain/directory-entry.ts';
import { type MatchCriteria, type MatchResult, rankContacts, WEIGHTS } from '../../src/domain/matching.ts';
import { DEFAULT_RULES } from '../../src/domain/program-rules.ts';
import { DirectoryImport } from '../../src/services/directory-import.ts';
import { DirectoryIndex } from '../../src/services/directory-index.ts';
import { criteriaOf, MatchService } from '../../src/services/match-service.ts';
import type { Db } from '../../src/store/database.ts';
import { DirectorySnapshotStore } from '../../src/store/directory-snapshot-store.ts';
import { RevisionStore } from '../../src/store/revision-store.ts';
import { askFor, editDirectoryRow, insertAccount, insertContact } from '../store/directory-rows.ts';
import { openTempDatabase, type TempDatabase } from '../store/temp-database.ts';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const EDITED_AT = '2026-11-22T11:00:00.000Z';
const daysAgo = (days: number) => subDays(NOW, days).toISOString();

/** A Healthcare VP in EMEA looking at Analytics, for a reference call. */
const GLOBEX: MatchCriteria = {
  activity: 'reference_call',
  industry: 'Healthcare',
  products: ['Analytics'],
  region: 'EMEA',
  companySize: '1000-4999',
  seniority: 'vp',
  prospect: 'Globex Corp',
};

const JANE_SCORE =
  WEIGHTS.industry +
  WEIGHTS.productEach +
  WEIGHTS.region +
  WEIGHTS.companySize +
  WEIGHTS.seniorityPeer +
  WEIGHTS.tenureMax;
const RAJ_SCORE =
  WEIGHTS.industry + WEIGHTS.productEach + WEIGHTS.region + WEIGHTS.companySize + WEIGHTS.seniorityNear;
const KIM_SCORE = WEIGHTS.productEach + WEIGHTS.seniorityPeer;

describe('MatchService', () => {
  let temp: TempDatabase;
  let db: Db;
  let snapshots: DirectorySnapshotStore;
  let index: DirectoryIndex;
  let matches: MatchService;
  const revisions = new RevisionStore();
  const ids = { acme: 0, globex: 0, initech: 0, jane: 0, raj: 0, kim: 0, pat: 0, ivy: 0 };

  beforeEach(async () => {
    temp = await openTempDatabase();
    db = temp.db;
    ids.acme = await insertAccount(db, {
      name: 'Acme Health',
      industry: 'Healthcare',
      region: 'EMEA',
      companySize: '1000-4999',
      products: ['Analytics', 'Billing'],
    });
    ids.globex = await insertAccount(db, {
      name: 'Globex',
      industry: 'Manufacturing',
      region: 'North America',
      companySize: 'Enterprise',
      products: ['Analytics'],
    });
    ids.initech = await insertAccount(db, { name: 'Initech', industry: 'Retail', region: 'APAC' });
    ids.jane = await insertContact(db, ids.acme, {
      name: 'Jane Doe',
      title: 'VP Finance',
      seniority: 'vp',
      customerSince: '2015-03-01',
      activities: ['reference_call', 'case_study'],
    });
    ids.raj = await insertContact(db, ids.acme, { name: 'Raj Patel', seniority: 'director' });
    ids.kim = await insertContact(db, ids.globex, { name: 'Kim Lee', seniority: 'vp' });
    ids.pat = await insertContact(db, ids.globex, {
      name: 'Pat Quiet',
      seniority: 'vp',
      status: 'paused',
      pausedUntil: '2026-12-01',
      pauseReason: 'Renewal in progress',
    });
    ids.ivy = await insertContact(db, ids.initech, { name: 'Ivy Gone', status: 'retired' });
    snapshots = new DirectorySnapshotStore();
    index = new DirectoryIndex(db, snapshots, revisions, DEFAULT_RULES, () => NOW);
    matches = new MatchService(db, index, snapshots, () => NOW);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await temp.close();
  });

  const ranked = (result: MatchResult) => result.suggestions.map((s) => [s.contact.name, s.score]);
  const names = (list: { name: string | null }[]) => list.map((c) => c.name);

  describe('suggest', () => {
    it('ranks the directory as the matcher says', async () => {
      const result = await matches.suggest(GLOBEX);
      expect(ranked(result)).toEqual([
        ['Jane Doe', JANE_SCORE],
        ['Raj Patel', RAJ_SCORE],
        ['Kim Lee', KIM_SCORE],
      ]);
      expect(result.eligibleCount).toBe(3);
      expect(result.relaxed).toBeNull();
      expect(result.unmet).toEqual([]);
      expect(result.suggestions[0]!.reasons).toEqual([
        'Same industry: Healthcare',
        'Uses Analytics',
        'EMEA',
        'Same size: 1000-4999',
        'VP for a VP',
        'Customer for 11 years',
        'No asks in the last 90 days',
      ]);
      expect(result).toEqual(rankContacts(GLOBEX, index.context(NOW, new Set())));
    });

    it('keeps to the limit', async () => {
      expect(names((await matches.suggest(GLOBEX, 2)).suggestions.map((s) => s.contact))).toEqual([
        'Jane Doe',
        'Raj Patel',
      ]);
    });

    it('loads the directory once, ahead of the first request when warmed', async () => {
      const pages = vi.spyOn(snapshots, 'contactPage');
      await matches.warm();
      expect(index.size).toBe(5);
      await matches.suggest(GLOBEX);
      await matches.suggest({ ...GLOBEX, activity: 'case_study' });
      expect(pages).toHaveBeenCalledTimes(2);
    });

    it('relaxes the activity when nobody agreed to it', async () => {
      const result = await matches.suggest({ ...GLOBEX, activity: 'site_visit' });
      expect(result.relaxed?.filter).toBe('activity');
      expect(names(result.suggestions.map((s) => s.contact))).toEqual(['Jane Doe', 'Raj Patel', 'Kim Lee']);
    });

    it('matches criteria the rep typed with other string objects (interned against the index)', async () => {
      const copy = (s: string) => [...s].join('');
      const result = await matches.suggest({
        ...GLOBEX,
        industry: copy('Healthcare'),
        region: copy('EMEA'),
        companySize: copy('1000-4999'),
        products: [copy('Analytics')],
      });
      expect(ranked(result)[0]).toEqual(['Jane Doe', JANE_SCORE]);
    });

    it('sees an edited contact only after a directory bump; until then serves its snapshot without re-reading', async () => {
      await matches.suggest(GLOBEX);
      await editDirectoryRow(db, 'contacts', ids.raj, { seniority: 'vp', updated_at: EDITED_AT });
      const changed = vi.spyOn(snapshots, 'changedContacts');
      const pages = vi.spyOn(snapshots, 'contactPage');

      expect(ranked(await matches.suggest(GLOBEX))[1]).toEqual(['Raj Patel', RAJ_SCORE]);
      expect(changed).not.toHaveBeenCalled();
      expect(pages).not.toHaveBeenCalled();

      await revisions.bump(db, 'directory');
      const raj =
        WEIGHTS.industry + WEIGHTS.productEach + WEIGHTS.region + WEIGHTS.companySize + WEIGHTS.seniorityPeer;
      expect(ranked(await matches.suggest(GLOBEX))[1]).toEqual(['Raj Patel', raj]);
      expect(changed).toHaveBeenCalledTimes(1);
      expect(pages).not.toHaveBeenCalled();
    });

    it('sees a paused contact leave and a resumed one come back after a directory bump', async () => {
      await matches.suggest(GLOBEX);
      await editDirectoryRow(db, 'contacts', ids.jane, {
        status: 'paused',
        paused_until: '2026-12-24',
        updated_at: EDITED_AT,
      });
      await editDirectoryRow(db, 'contacts', ids.pat, {
        status: 'active',
        paused_until: null,
        pause_reason: null,
        updated_at: EDITED_AT,
      });
      await revisions.bump(db, 'directory');
      const result = await matches.suggest(GLOBEX);
      expect(names(result.suggestions.map((s) => s.contact))).toEqual(['Raj Patel', 'Kim Lee', 'Pat Quiet']);
    });

    it('sees a newly imported contact', async () => {
      await matches.suggest(GLOBEX);
      const csv = [
        DIRECTORY_COLUMNS.join(','),
        'Umbrella Health,,Healthcare,EMEA,1000-4999,Analytics;Billing,U0OWNER3,Nia New,nia@umbrella.example,VP Clinical,vp,reference_call,2010-05-01,active,,,',
      ].join('\n');
      expect((await new DirectoryImport(db).importCsv(csv, NOW)).ok).toBe(true);
      const result = await matches.suggest(GLOBEX);
      // Nia ties with Jane; Jane's lower id comes first.
      expect(ranked(result).slice(0, 2)).toEqual([
        ['Jane Doe', JANE_SCORE],
        ['Nia New', JANE_SCORE],
      ]);
      expect(result.eligibleCount).toBe(4);
    });

    it('sees a newly approved ask only after a usage bump', async () => {
      await matches.suggest(GLOBEX);
      await askFor(db, ids.jane, daysAgo(0), { status: 'awaiting_owner' });
      const asks = vi.spyOn(snapshots, 'asks');

      expect(names((await matches.suggest(GLOBEX)).suggestions.map((s) => s.contact))[0]).toBe('Jane Doe');
      expect(asks).not.toHaveBeenCalled();

      await revisions.bump(db, 'usage');
      const result = await matches.suggest(GLOBEX);
      expect(asks).toHaveBeenCalledTimes(1);
      // Asked today with the ask still open: over the rules, so Jane is no longer suggested.
      expect(names(result.suggestions.map((s) => s.contact))).toEqual(['Raj Patel', 'Kim Lee']);
      const jane = (await matches.suggestFor(GLOBEX, 3, ids.jane)).chosen;
      expect(jane).toMatchObject({
        eligible: false,
        score: JANE_SCORE - WEIGHTS.recentAskPenalty,
        violations: ['asked today (the program waits 14 days between asks)', 'already has an open ask'],
      });
      // Both concerns are said once, by the violations.
      expect(jane!.warnings).toEqual([]);
    });

    it('sees a new rating only after a ratings bump', async () => {
      const { askId } = await askFor(db, ids.kim, daysAgo(60), { status: 'cancelled' });
      await matches.suggest(GLOBEX);
      await db('reference_asks').where({ id: askId }).update({ rating: 5 });
      const kim = async () =>
        (await matches.suggest(GLOBEX)).suggestions.find((s) => s.contact.id === ids.kim)!;
      expect((await kim()).score).toBe(KIM_SCORE - WEIGHTS.recentAskPenalty);
      await revisions.bump(db, 'ratings');
      expect((await kim()).score).toBe(KIM_SCORE - WEIGHTS.recentAskPenalty + 2 * WEIGHTS.ratingPerStar);
      expect((await kim()).reasons).toContain('Rated 5.0/5 by reps');
    });
  });

  describe('collisions with the same prospect', () => {
    const warningsOf = async (prospect: string | null) => {
      const result = await matches.suggest({ ...GLOBEX, prospect });
      return Object.fromEntries(result.suggestions.map((s) => [s.contact.name ?? '', s.warnings]));
    };

    it('warns about a contact who agreed to help with the same prospect, whatever its case and spacing', async () => {
      await askFor(db, ids.raj, daysAgo(120), {
        prospect: 'Globex Corp',
        status: 'cancelled',
        answer: 'agreed',
      });
      expect((await warningsOf('GLOBEX CORP'))['Raj Patel']).toContain('already spoke with GLOBEX CORP');
      const spaced = (await warningsOf('  globex corp '))['Raj Patel']!;
      expect(spaced.some((w) => w.startsWith('already spoke with'))).toBe(true);
      expect((await warningsOf('Globex Corp'))['Jane Doe']).toEqual([]);
    });

    it('ignores asks declined for that prospect and asks for other prospects', async () => {
      await askFor(db, ids.raj, daysAgo(120), {
        prospect: 'Globex Corp',
        status: 'submitted',
        answer: 'declined',
      });
      await askFor(db, ids.kim, daysAgo(120), { prospect: 'Initech', status: 'cancelled', answer: 'agreed' });
      const warnings = await warningsOf('Globex Corp');
      expect(warnings['Raj Patel']).not.toContain('already spoke with Globex Corp');
      expect(warnings['Kim Lee']).not.toContain('already spoke with Globex Corp');
    });

    it('reads collisions fresh on every call, without a bump', async () => {
      await matches.suggest(GLOBEX);
      await askFor(db, ids.jane, daysAgo(120), {
        prospect: 'globex corp',
        status: 'cancelled',
        answer: 'agreed',
      });
      expect((await warningsOf('Globex Corp'))['Jane Doe']).toEqual(['already spoke with Globex Corp']);
    });

    it('does not look for collisions without a prospect', async () => {
      const spoke = vi.spyOn(snapshots, 'spokeWithProspect');
      await matches.suggest({ ...GLOBEX, prospect: null });
      expect(spoke).not.toHaveBeenCalled();
    });
  });

  describe('search', () => {
    it('finds active contacts by person or account name, case-insensitively, ordered by name', async () => {
      expect(names(await matches.search('acme', 10, { activeOnly: true }))).toEqual([
        'Jane Doe',
        'Raj Patel',
      ]);
      expect(names(await matches.search('  PATEL ', 10, { activeOnly: true }))).toEqual(['Raj Patel']);
      expect(names(await matches.search('globex', 10, { activeOnly: true }))).toEqual(['Kim Lee']);
      expect(names(await matches.search('initech', 10, { activeOnly: true }))).toEqual([]);
    });

    it('finds every contact, whatever their status, for the directory', async () => {
      expect(names(await matches.search('globex', 10, { activeOnly: false }))).toEqual([
        'Kim Lee',
        'Pat Quiet',
      ]);
      expect(names(await matches.search('', 10, { activeOnly: false }))).toEqual([
        'Ivy Gone',
        'Jane Doe',
        'Kim Lee',
        'Pat Quiet',
        'Raj Patel',
      ]);
    });

    it('keeps to the limit', async () => {
      expect(names(await matches.search('', 2, { activeOnly: true }))).toEqual(['Jane Doe', 'Kim Lee']);
    });

    it('finds a renamed contact by the new name after a directory bump', async () => {
      await matches.search('', 10, { activeOnly: true });
      await editDirectoryRow(db, 'contacts', ids.kim, { name: 'Kimberly Lee', updated_at: EDITED_AT });
      expect(names(await matches.search('kimberly', 10, { activeOnly: true }))).toEqual([]);
      await revisions.bump(db, 'directory');
      expect(names(await matches.search('kimberly', 10, { activeOnly: true }))).toEqual(['Kimberly Lee']);
    });
  });

  describe('typeahead', () => {
    it('orders the active contacts by fit for the request', async () => {
      const found = await matches.typeahead(GLOBEX, '', 10);
      expect(found.map((s) => [s.contact.name, s.eligible, s.score])).toEqual([
        ['Jane Doe', true, JANE_SCORE],
        ['Raj Patel', true, RAJ_SCORE],
        ['Kim Lee', true, KIM_SCORE],
      ]);
    });

    it('filters by the typed text', async () => {
      expect((await matches.typeahead(GLOBEX, 'Globex', 10)).map((s) => s.contact.name)).toEqual(['Kim Lee']);
      expect((await matches.typeahead(GLOBEX, 'e', 2)).map((s) => s.contact.name)).toEqual([
        'Jane Doe',
        'Raj Patel',
      ]);
    });

    it('puts contacts a manager would have to override after the eligible ones', async () => {
      await askFor(db, ids.jane, daysAgo(3), { status: 'awaiting_owner' });
      await revisions.bump(db, 'usage');
      const found = await matches.typeahead(GLOBEX, '', 10);
      expect(found.map((s) => [s.contact.name, s.eligible])).toEqual([
        ['Raj Patel', true],
        ['Kim Lee', true],
        ['Jane Doe', false],
      ]);
      expect(found[2]!.violations).toEqual([
        'asked 3 days ago (the program waits 14 days between asks)',
        'already has an open ask',
      ]);
    });

    it('puts the contacts who do the activity first', async () => {
      const found = await matches.typeahead({ ...GLOBEX, activity: 'case_study' }, '', 10);
      expect(found.map((s) => [s.contact.name, s.eligible])).toEqual([
        ['Jane Doe', true],
        ['Raj Patel', false],
        ['Kim Lee', false],
      ]);
    });
  });

  describe('suggestFor', () => {
    it('says how any contact fits, even a paused one', async () => {
      const pat = (await matches.suggestFor(GLOBEX, 3, ids.pat)).chosen;
      expect(pat).toMatchObject({ eligible: false, violations: [] });
      expect(pat!.warnings).toContain('paused until 2026-12-01: Renewal in progress');
      expect((await matches.suggestFor(GLOBEX, 3, 999_999)).chosen).toBeNull();
    });
  });

  describe('criteriaOf', () => {
    it('takes the matching criteria of a request and nothing else', () => {
      const request = { ...GLOBEX, id: 12, context: 'Context', neededBy: '2026-12-04' };
      expect(criteriaOf(request)).toEqual(GLOBEX);
    });
  });
});
