import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localDate } from '../../src/domain/dates.ts';
import { DIRECTORY_COLUMNS } from '../../src/domain/directory-entry.ts';
import { ASK_EXPORT_COLUMNS } from '../../src/services/asks-export.ts';
import { type Db, openDatabase } from '../../src/store/database.ts';
import { DIRECTORY_CSV } from '../support/harness.ts';
import { runCliInProcess } from '../support/run-cli.ts';
import { runScript } from '../support/run-process.ts';

describe('the refdesk command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'refdesk-cli-'));
  const env = { DATABASE_URL: `sqlite:${join(dir, 'cli.sqlite')}` };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function withDb<T>(use: (db: Db) => Promise<T>): Promise<T> {
    const db = openDatabase(env.DATABASE_URL);
    try {
      return await use(db);
    } finally {
      await db.destroy();
    }
  }
  const count = (table: string) =>
    withDb(async (db) => Number(((await db(table).count({ n: '*' }).first()) as { n: number }).n));

  // The other tests call runCli in-process (a process costs seconds); this one proves the entry point itself.
  it('runs as a process of its own, exiting with the code of the command', async () => {
    const migrated = await runScript('src/cli.ts', ['migrate'], env);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/applied .*directory_and_requests/);
    const unknown = await runScript('src/cli.ts', ['frobnicate'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('migrates, imports a directory, and re-imports it without changes', async () => {
    const migrated = await runCliInProcess(['migrate'], env);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/up to date/);

    const file = join(dir, 'directory.csv');
    writeFileSync(file, DIRECTORY_CSV);
    const first = await runCliInProcess(['import', file], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/imported 4 rows: accounts 2 new.*contacts 4 new/);
    const again = await runCliInProcess(['import', file], env);
    expect(again.stdout).toMatch(
      /accounts 0 new, 0 updated, 2 unchanged; contacts 0 new, 0 updated, 4 unchanged/,
    );
    expect(await count('contacts')).toBe(4);
  });

  it('exports the directory to a file or to stdout, and the export imports without changes', async () => {
    const pause = { paused_until: '2027-01-31', pause_reason: 'Renewal in progress' };
    await withDb((db) => db('contacts').where({ email: 'pat@globex.example' }).update(pause));
    const file = join(dir, 'exported.csv');
    const toFile = await runCliInProcess(['export', 'contacts', file], env);
    expect(toFile.code).toBe(0);
    expect(toFile.stdout.trim()).toBe(`exported 4 contacts to ${file}`);
    expect(toFile.stderr).toBe('');
    const written = readFileSync(file, 'utf8');
    expect(written.split('\n')[0]).toBe(DIRECTORY_COLUMNS.join(','));
    expect(written.split('\n')).toHaveLength(6);
    expect(written).toContain(
      'Globex,SF-002,Manufacturing,North America,Enterprise,Analytics,U0OWNER2,Pat Quiet,pat@globex.example,Manager,manager,reference_call,2020-01-01,paused,2027-01-31,Renewal in progress,\n',
    );
    expect(readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);

    const toStdout = await runCliInProcess(['export', 'contacts'], env);
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout).toBe(written);

    const again = await runCliInProcess(['import', file], env);
    expect(again.stdout).toMatch(
      /accounts 0 new, 0 updated, 2 unchanged; contacts 0 new, 0 updated, 4 unchanged/,
    );
    const pat = await withDb((db) => db('contacts').where({ email: 'pat@globex.example' }).first());
    expect(pat).toMatchObject(pause);
  });

  it('explains the export command when it is used wrongly', async () => {
    const wrong = await runCliInProcess(['export', 'accounts'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/export contacts \[file\.csv\]/);
    const nowhere = await runCliInProcess(['export', 'contacts', join(dir, 'no', 'such', 'dir.csv')], env);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/cannot write/);
  });

  it('exports asks to a file or to stdout, kept to the days asked for, with formulas neutralized', async () => {
    await withDb(async (db) => {
      const contact = (await db('contacts').where({ email: 'pat@globex.example' }).first('id')) as {
        id: number;
      };
      for (const [prospect, approvedAt] of [
        ['=1+1 Corp', '2026-11-05T09:00:00.000Z'],
        ['Later Inc', '2026-11-09T09:00:00.000Z'],
      ] as const) {
        const [request] = (await db('reference_requests')
          .insert({
            requester_id: 'U0REP1',
            prospect,
            prospect_key: prospect.toLowerCase(),
            activity: 'reference_call',
            needed_by: '2026-11-20',
            context: 'Context',
            status: 'awaiting_owner',
            created_at: '2026-11-04T09:00:00.000Z',
            updated_at: '2026-11-04T09:00:00.000Z',
          })
          .returning('id')) as { id: number }[];
        await db('reference_asks').insert({
          request_id: request!.id,
          contact_id: contact.id,
          owner_id: 'U0OWNER2',
          round: 1,
          approved_by: 'U0MGR1',
          approved_at: approvedAt,
        });
      }
    });
    const file = join(dir, 'asks.csv');
    const toFile = await runCliInProcess(
      ['export', 'asks', '--from', '2026-11-01', file, '--to=2026-11-05'],
      env,
    );
    expect(toFile.code).toBe(0);
    expect(toFile.stdout.trim()).toBe(`exported 1 ask to ${file}`);
    expect(toFile.stderr).toBe('');
    const written = readFileSync(file, 'utf8');
    const [header, row, ...rest] = written.split('\n');
    expect(header).toBe(ASK_EXPORT_COLUMNS.join(','));
    expect(rest).toEqual(['']);
    expect(row).toMatch(
      /^REF-1,1,1,false,awaiting_owner,U0REP1,.*,'=1\+1 Corp,.*,U0MGR1,2026-11-05T09:00:00\.000Z,\d+,Pat Quiet,SF-002,Globex,U0OWNER2,/,
    );
    expect(written).not.toContain('pat@globex.example');
    expect(readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);

    const toStdout = await runCliInProcess(['export', 'asks', '--to', '2026-11-05'], env);
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout).toBe(written);
    const all = await runCliInProcess(['export', 'asks'], env);
    expect(all.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('refuses a bad --from or --to with exit code 2, writing nothing', async () => {
    const file = join(dir, 'bad-asks.csv');
    const badDay = await runCliInProcess(['export', 'asks', '--from', '2026-02-30', file], env);
    expect(badDay.code).toBe(2);
    expect(badDay.stderr.trim()).toBe(
      'refdesk: --from 2026-02-30 must be a date written YYYY-MM-DD, e.g. 2026-09-30',
    );
    const backwards = await runCliInProcess(['export', 'asks', '--from=2026-11-06', '--to=2026-11-05'], env);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr.trim()).toBe('refdesk: --to 2026-11-05 must not be before the from date');
    expect(backwards.stdout).toBe('');
    const noValue = await runCliInProcess(['export', 'asks', '--from'], env);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toMatch(/export asks \[--from YYYY-MM-DD\] \[--to YYYY-MM-DD\] \[file\.csv\]/);
    expect(readdirSync(dir).filter((name) => name.startsWith('bad-asks'))).toEqual([]);
  });

  it('refuses a file with bad rows, listing each with line, column and reason, and writes nothing', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      [
        'account,company_size,owner,contact_email,seniority',
        'Newco,Enterprise,U0NEW,new@newco.example,vp',
        'Badco,,U0BAD,bad@badco.example,emperor',
        'Worse,SMB,not-a-user,not-an-email,',
      ].join('\n'),
    );
    const before = await count('contacts');
    const result = await runCliInProcess(['import', file], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nothing was written');
    expect(result.stderr).toContain('line 3, column company_size: is required');
    expect(result.stderr).toContain('line 3, column seniority: must be one of');
    expect(result.stderr).toContain('line 4, column owner: must be a Slack user id');
    expect(result.stderr).toContain('line 4, column contact_email: is not an email address');
    expect(await count('contacts')).toBe(before);
  });

  it('refuses a file that is not UTF-8, naming the line, and writes nothing', async () => {
    const file = join(dir, 'windows-1252.csv');
    const header = 'account,company_size,owner,contact_email,contact_name';
    writeFileSync(
      file,
      Buffer.from(`${header}\nMüller AG,SMB,U0NEW,jurgen@muller.example,Jürgen Müller\n`, 'latin1'),
    );
    const before = await count('contacts');
    const result = await runCliInProcess(['import', file], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nothing was written');
    expect(result.stderr).toMatch(/line 2: .*not valid UTF-8.*CSV UTF-8/);
    expect(await count('contacts')).toBe(before);
  });

  it('explains itself on a missing file or an unknown command', async () => {
    expect((await runCliInProcess(['import', join(dir, 'nope.csv')], env)).code).toBe(2);
    const unknown = await runCliInProcess(['frobnicate'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });
  it('erases a contact by email in one summary line, logging who ran it; an unknown email writes nothing', async () => {
    const erasures = () => withDb((db) => db('erasures').orderBy('id').select());
    const erased = await runCliInProcess(['erase', 'contact', 'Kim@Globex.example', '--by', 'dpo'], env);
    expect(erased.code).toBe(0);
    expect(erased.stdout.trim().split('\n')).toHaveLength(1);
    expect(erased.stdout).toMatch(
      /^erased contact \d+ \(now retired\): 1 directory row, .* logged as erasure 1 by dpo$/m,
    );
    const directory = await withDb((db) => db('contacts').select());
    expect(JSON.stringify(directory)).not.toMatch(/kim@globex|Kim Lee|VP Operations/i);
    expect(directory.filter((c) => c.status === 'retired' && c.name === 'Erased contact')).toHaveLength(1);
    expect(await erasures()).toMatchObject([{ kind: 'contact', erased_by: 'dpo', rows_changed: 1 }]);
    expect(JSON.stringify(await erasures())).not.toContain('kim@');

    const again = await runCliInProcess(['erase', 'contact', 'kim@globex.example'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already erased: erasure 1 on .* by dpo; nothing was written/);

    const unknown = await runCliInProcess(['erase', 'contact', 'nobody@globex.example'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /no contact or nomination has the email nobody@globex\.example; nothing was written/,
    );
    expect(await erasures()).toHaveLength(1);

    // Without --by, the log names the operating system's user.
    expect((await runCliInProcess(['erase', 'contact', 'raj@acme.example'], env)).code).toBe(0);
    expect((await erasures())[1]).toMatchObject({ erased_by: userInfo().username });

    const wrong = await runCliInProcess(['erase', 'contact'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/erase contact <email> \[--by <name>\]/);
    const notEmail = await runCliInProcess(['erase', 'contact', 'kim'], env);
    expect(notEmail.code).toBe(2);
    expect(notEmail.stderr).toMatch(/email is not an email address/);
  });

  it('queues the weekly digest now for the running bot to post, and explains itself when used wrongly', async () => {
    const queued = await runCliInProcess(['digest', '--now'], env);
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stdout).toMatch(/^queued the digest of the seven days before \d{4}-\d{2}-\d{2}/);
    const kinds = await withDb((db) => db('outbox').where({ kind: 'weekly_digest' }).pluck('conversation'));
    expect(kinds).toEqual(['managers:digest']);
    const wrong = await runCliInProcess(['digest'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/usage: npm run refdesk -- digest --now/);

    // The week is named by the day in DIGEST_TIME_ZONE, as the scheduled digest's is: 14 hours ahead of UTC
    // here, so for most of the day a date other than UTC's.
    const zone = 'Pacific/Kiritimati';
    const days = () => new Set([localDate(new Date(), zone)]);
    const expected = days();
    const zoned = await runCliInProcess(['digest', '--now'], { ...env, DIGEST_TIME_ZONE: zone });
    for (const day of days()) expected.add(day);
    expect(zoned.code, zoned.stderr).toBe(0);
    expect([...expected]).toContain(/before (\d{4}-\d{2}-\d{2})/.exec(zoned.stdout)?.[1]);
    const badZone = await runCliInProcess(['digest', '--now'], { ...env, DIGEST_TIME_ZONE: 'Mars/Olympus' });
    expect(badZone.code).toBe(2);
    expect(badZone.stderr).toMatch(/^refdesk: DIGEST_TIME_ZONE is invalid/);
  });

  it("exports the program report's tables as one CSV, and refuses a period it does not know", async () => {
    const report = await runCliInProcess(['export', 'report', '--period', '365d'], env);
    expect(report.code, report.stderr).toBe(0);
    const lines = report.stdout.trim().split('\n');
    expect(lines[0]).toBe('table,item,figure,current,previous');
    expect(lines).toContainEqual(expect.stringMatching(/^period,current,Last 365 days,/));
    expect(lines).toContainEqual(expect.stringMatching(/^volume,all,asks,\d+,\d+$/));
    expect(lines).toContainEqual(expect.stringMatching(/^turnaround,submitted_to_decided,median_hours,/));
    const wrong = await runCliInProcess(['export', 'report', '--period', '7d'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--period 30d\|90d\|365d\|quarter/);
  });
});
