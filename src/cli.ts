import { once } from 'node:events';
import { createWriteStream, readFileSync, renameSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Writable } from 'node:stream';
import {
  ConfigError,
  type Env,
  loadDatabaseConfig,
  loadDigestTimeZone,
  loadDotEnv,
  loadPipelineCurrency,
  loadRules,
} from './config.ts';
import { DEFAULT_RULES } from './domain/program-rules.ts';
import { isEntryPoint } from './entry-point.ts';
import { InputError } from './errors.ts';
import { AsksExport, asksPeriod } from './services/asks-export.ts';
import { DigestService } from './services/digest-service.ts';
import { DirectoryExport } from './services/directory-export.ts';
import { DirectoryImport, type ImportIssue } from './services/directory-import.ts';
import { type ContactErasureCounts, ErasureService } from './services/erasure.ts';
import { GapsExport } from './services/gaps-export.ts';
import { GapsService } from './services/gaps-service.ts';
import { PipelineExport } from './services/pipeline-export.ts';
import { PipelineImport } from './services/pipeline-import.ts';
import { EXPORT_PERIODS, type ExportPeriod, ReportExport } from './services/report-export.ts';
import { ReportService } from './services/report-service.ts';
import { UnitOfWork } from './services/unit-of-work.ts';
import { type Db, migrate, openDatabase } from './store/database.ts';
import { DigestStore } from './store/digest-store.ts';
import { DirectoryStore } from './store/directory-store.ts';
import { ErasureStore } from './store/erasure-store.ts';
import { HomeViewStore } from './store/event-store.ts';
import { GapsStore } from './store/gaps-store.ts';
import { OutboxStore } from './store/outbox-store.ts';
import { ReportStore } from './store/report-store.ts';
import { RequestStore } from './store/request-store.ts';
import { RevisionStore } from './store/revision-store.ts';

const USAGE = `usage: npm run refdesk -- <command>

commands:
  migrate               apply pending database migrations
  import <file.csv>     load accounts and reference contacts from a CSV file
  import pipeline <file.csv> [--replace]
                        load the sales pipeline (one row per opportunity) from a CRM report as CSV;
                        --replace marks opportunities missing from the file as removed
  export contacts [file.csv]
                        write the directory as CSV in the import format, to stdout without a file
                        (use npm run --silent so npm's own lines stay out of stdout)
  export pipeline [file.csv]
                        write the pipeline (removed opportunities left out) as CSV in the import format
  export asks [--from YYYY-MM-DD] [--to YYYY-MM-DD] [file.csv]
                        write one CSV row per ask (request, contact, account, outcome, deal) for BI
                        tools, to stdout without a file; --from/--to keep the asks approved on those
                        days (UTC) and the days between
  export report --period 30d|90d|365d|quarter [file.csv]
                        write the program report's tables (table, item, figure, current, previous) as CSV
  export gaps [file.csv]
                        write the coverage gaps as CSV: every segment that carries real pipeline, most
                        short of references first, with its demand and supply
  erase contact <email> [--by <name>]
                        erase a reference contact's (or a nominee's) personal data everywhere (name,
                        email, title, notes, and mentions in requests); counts and outcomes stay.
                        Logged with who ran it (--by, default the OS user)
  digest --now          queue the weekly digest of the last seven days for the managers' channel now
                        (the running bot sends it)
  help                  this text`;

const formatIssue = (i: ImportIssue) =>
  `  line ${i.line}${i.column ? `, column ${i.column}` : ''}: ${i.reason}`;

/** An InputError's fields as one line, each field named by `name`. */
const describeFields = (error: InputError, name: (field: string) => string = (field) => field) =>
  Object.entries(error.fields)
    .map(([field, reason]) => `${name(field)} ${reason}`)
    .join('; ');

/** Writes a chunk, waiting when the stream asks to (a slow pipe or disk). */
async function writeChunk(stream: Writable, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/** An export: hands its CSV to `write` chunk by chunk and returns how many rows it wrote. */
type WriteCsv = (write: (chunk: string) => Promise<void>) => Promise<number>;

/** Writes the file under a temporary name and renames it at the end: a failed export leaves no half file. */
async function exportToFile(writeCsv: WriteCsv, file: string): Promise<number> {
  const partial = `${file}.${process.pid}.partial`;
  const stream = createWriteStream(partial);
  try {
    await once(stream, 'open');
    const rows = await writeCsv((chunk) => writeChunk(stream, chunk));
    stream.end();
    await once(stream, 'finish');
    renameSync(partial, file);
    return rows;
  } catch (error) {
    stream.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
}

/** Runs an export to `file`, or to stdout without one; `row` (and `rows`) name the rows in the summary line. */
async function runExport(
  writeCsv: WriteCsv,
  file: string | undefined,
  row: string | [one: string, many: string],
  out: (line: string) => void,
  err: (line: string) => void,
  stdout: Writable,
): Promise<number> {
  if (!file) {
    await writeCsv((chunk) => writeChunk(stdout, chunk));
    return 0;
  }
  let rows: number;
  try {
    rows = await exportToFile(writeCsv, file);
  } catch (error) {
    // A file system error (no such folder, no permission) is the user's to fix; anything else is a bug.
    if (!(error as NodeJS.ErrnoException).syscall) throw error;
    err(`refdesk: cannot write ${file}: ${(error as Error).message}`);
    return 2;
  }
  out(`exported ${typeof row === 'string' ? plural(rows, row) : plural(rows, ...row)} to ${file}`);
  return 0;
}

const EXPORT_USAGE = `refdesk: usage: npm run refdesk -- export contacts [file.csv]
       npm run refdesk -- export pipeline [file.csv]
       npm run refdesk -- export gaps [file.csv]
       npm run refdesk -- export asks [--from YYYY-MM-DD] [--to YYYY-MM-DD] [file.csv]
       npm run refdesk -- export report --period 30d|90d|365d|quarter [file.csv]`;

/** `[--from D] [--to D] [file]` (flags anywhere, also as --from=D), or null when it is not that. */
function parseAsksArgs(rest: string[]): { from?: string; to?: string; file?: string } | null {
  const args: { from?: string; to?: string; file?: string } = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const flag = /^--(from|to)(?:=(.*))?$/.exec(arg);
    if (flag) {
      const value = flag[2] ?? rest[++i];
      if (value === undefined) return null;
      args[flag[1] as 'from' | 'to'] = value;
    } else if (arg.startsWith('-') || args.file !== undefined) return null;
    else args.file = arg;
  }
  return args;
}

async function exportCsv(
  db: Db,
  rest: string[],
  out: (line: string) => void,
  err: (line: string) => void,
  stdout: Writable,
  env: Env,
): Promise<number> {
  const [what, ...args] = rest;
  if (what === 'contacts' && args.length <= 1) {
    await migrate(db);
    const exporter = new DirectoryExport(db);
    return runExport((write) => exporter.writeCsv(write), args[0], 'contact', out, err, stdout);
  }
  if (what === 'pipeline' && args.length <= 1) {
    await migrate(db);
    const exporter = new PipelineExport(db);
    return runExport(
      (write) => exporter.writeCsv(write),
      args[0],
      ['opportunity', 'opportunities'],
      out,
      err,
      stdout,
    );
  }
  if (what === 'gaps' && args.length <= 1) {
    await migrate(db);
    const gaps = new GapsService({
      db,
      store: new GapsStore(),
      rules: loadRules(env),
      now: () => new Date(),
    });
    const exporter = new GapsExport(gaps);
    return runExport((write) => exporter.writeCsv(write), args[0], ['segment', 'segments'], out, err, stdout);
  }
  if (what === 'report') {
    const [flag, period, file, ...extra] = args;
    if (flag !== '--period' || !period || !(period in EXPORT_PERIODS) || extra.length > 0) {
      err('refdesk: usage: npm run refdesk -- export report --period 30d|90d|365d|quarter [file.csv]');
      return 2;
    }
    await migrate(db);
    const reports = new ReportService({
      db,
      store: new ReportStore(),
      rules: loadRules(env),
      now: () => new Date(),
    });
    const exporter = new ReportExport(reports);
    return runExport(
      (write) => exporter.writeCsv(period as ExportPeriod, write),
      file,
      'figure',
      out,
      err,
      stdout,
    );
  }
  const parsed = what === 'asks' ? parseAsksArgs(args) : null;
  if (!parsed) {
    err(EXPORT_USAGE);
    return 2;
  }
  let period: ReturnType<typeof asksPeriod>;
  try {
    period = asksPeriod({ from: parsed.from, to: parsed.to });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    err(`refdesk: ${describeFields(error, (field) => `--${field} ${parsed[field as 'from' | 'to'] ?? ''}`)}`);
    return 2;
  }
  await migrate(db);
  const exporter = new AsksExport(db);
  return runExport((write) => exporter.writeCsv(period, write), parsed.file, 'ask', out, err, stdout);
}

const ERASE_USAGE = 'refdesk: usage: npm run refdesk -- erase contact <email> [--by <name>]';

/** `contact <email> [--by <name>]` (the flag anywhere, also as --by=name), or null when it is not that. */
function parseEraseArgs(rest: string[]): { email: string; by: string | null } | null {
  const positional: string[] = [];
  let by: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--by') {
      if (i + 1 >= rest.length) return null;
      by = rest[++i]!;
    } else if (arg.startsWith('--by=')) by = arg.slice('--by='.length);
    else positional.push(arg);
  }
  const [what, email, ...extra] = positional;
  return what === 'contact' && email && extra.length === 0 ? { email, by } : null;
}

/** Who runs the command, for the erasure log: the OS user, as far as the system can tell. */
function osUser(env: Env): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const describeCounts = (c: ContactErasureCounts) =>
  [
    plural(c.contact, 'directory row'),
    plural(c.asks, 'ask'),
    plural(c.outcomes, 'outcome'),
    plural(c.nominations, 'nomination'),
    `${plural(c.mentions, 'row')} mentioning them`,
    `${plural(c.droppedMessages, 'unsent message')} dropped`,
  ].join(', ');

async function queueDigest(
  db: Db,
  rest: string[],
  out: (line: string) => void,
  err: (line: string) => void,
  env: Env,
): Promise<number> {
  if (rest.length !== 1 || rest[0] !== '--now') {
    err('refdesk: usage: npm run refdesk -- digest --now');
    return 2;
  }
  await migrate(db);
  const now = () => new Date();
  const digests = new DigestService({
    db,
    work: new UnitOfWork(db, new OutboxStore(), new RevisionStore(), new HomeViewStore(), now),
    store: new DigestStore(),
    // The figures are worked out by the bot when it sends the digest: only the rules' defaults are needed here.
    reports: new ReportService({ db, store: new ReportStore(), rules: DEFAULT_RULES, now }),
    schedule: null,
    now,
  });
  const sentOn = await digests.queueNow(loadDigestTimeZone(env));
  out(
    `queued the digest of the seven days before ${sentOn}; the running bot posts it to the managers' channel`,
  );
  return 0;
}

async function eraseContact(
  db: Db,
  rest: string[],
  out: (line: string) => void,
  err: (line: string) => void,
  env: Env,
): Promise<number> {
  const args = parseEraseArgs(rest);
  if (!args) {
    err(ERASE_USAGE);
    return 2;
  }
  await migrate(db);
  const now = () => new Date();
  const work = new UnitOfWork(db, new OutboxStore(), new RevisionStore(), new HomeViewStore(), now);
  const erasure = new ErasureService({
    db,
    work,
    erasures: new ErasureStore(),
    directory: new DirectoryStore(),
    requests: new RequestStore(),
    retentionDays: null,
    now,
  });
  let result: Awaited<ReturnType<ErasureService['eraseContact']>>;
  try {
    result = await erasure.eraseContact({ email: args.email, by: args.by ?? osUser(env) });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    err(`refdesk: ${describeFields(error)}`);
    return 2;
  }
  switch (result.outcome) {
    case 'unknown':
      err(`refdesk: no contact or nomination has the email ${args.email}; nothing was written`);
      return 1;
    case 'already_erased': {
      const { erasedAt, erasedBy, id } = result.previous;
      out(`already erased: erasure ${id} on ${erasedAt} by ${erasedBy}; nothing was written`);
      return 0;
    }
    case 'erased': {
      const { contactId, counts, erasure: logged } = result;
      const who =
        contactId === null
          ? 'someone only ever nominated (never in the directory)'
          : `contact ${contactId} (now retired)`;
      out(`erased ${who}: ${describeCounts(counts)}; logged as erasure ${logged.id} by ${logged.erasedBy}`);
      return 0;
    }
  }
}

/** The file's bytes, not text: an import decodes them strictly and refuses a file that is not UTF-8. */
function readBytes(file: string, err: (line: string) => void): Buffer | null {
  try {
    return readFileSync(file);
  } catch (error) {
    err(`refdesk: cannot read ${file}: ${(error as Error).message}`);
    return null;
  }
}

function reportIssues(file: string, issues: readonly ImportIssue[], err: (line: string) => void): number {
  err(`refdesk: ${file} was not imported; nothing was written. Fix these rows and try again:`);
  for (const issue of issues) err(formatIssue(issue));
  return 1;
}

async function importDirectory(
  db: Db,
  rest: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const [file] = rest;
  if (!file) {
    err('refdesk: import needs a file: npm run refdesk -- import contacts.csv');
    return 2;
  }
  const bytes = readBytes(file, err);
  if (!bytes) return 2;
  await migrate(db);
  const result = await new DirectoryImport(db).importCsv(bytes, new Date());
  if (!result.ok) return reportIssues(file, result.issues, err);
  const { rows, accounts: a, contacts: c } = result.summary;
  out(
    `imported ${rows} rows: accounts ${a.created} new, ${a.updated} updated, ${a.unchanged} unchanged; ` +
      `contacts ${c.created} new, ${c.updated} updated, ${c.unchanged} unchanged`,
  );
  return 0;
}

const IMPORT_PIPELINE_USAGE = 'refdesk: usage: npm run refdesk -- import pipeline <file.csv> [--replace]';

async function importPipeline(
  db: Db,
  rest: string[],
  out: (line: string) => void,
  err: (line: string) => void,
  env: Env,
): Promise<number> {
  const files = rest.filter((arg) => arg !== '--replace');
  if (files.length !== 1 || files[0]!.startsWith('-')) {
    err(IMPORT_PIPELINE_USAGE);
    return 2;
  }
  const file = files[0]!;
  const currency = loadPipelineCurrency(env);
  const bytes = readBytes(file, err);
  if (!bytes) return 2;
  await migrate(db);
  const replace = rest.includes('--replace');
  const result = await new PipelineImport(db, currency).importCsv(bytes, new Date(), { replace });
  if (!result.ok) return reportIssues(file, result.issues, err);
  const { rows, added, updated, unchanged, removed } = result.summary;
  out(
    `imported ${plural(rows, 'row')}: opportunities ${added} new, ${updated} updated, ${unchanged} unchanged` +
      (replace ? `, ${removed} removed (missing from the file)` : ''),
  );
  return 0;
}

/** Where a command's lines and CSV go, and the environment its settings are read from. */
export interface CliIo {
  out?: (line: string) => void;
  err?: (line: string) => void;
  stdout?: Writable;
  env?: Env;
}

/**
 * Runs one CLI command; returns the process exit code. All configuration is read from `io.env`, so a test
 * can run it in-process without touching process.env.
 */
export async function runCli(args: string[], io: CliIo = {}): Promise<number> {
  const { out = console.log, err = console.error, stdout = process.stdout, env = process.env } = io;
  const [command, ...rest] = args;
  if (!command || command === 'help' || command === '--help') {
    out(USAGE);
    return command ? 0 : 2;
  }
  let databaseUrl: string;
  try {
    databaseUrl = loadDatabaseConfig(env).databaseUrl;
  } catch (error) {
    if (error instanceof ConfigError) {
      err(`refdesk: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const db = openDatabase(databaseUrl);
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrate(db);
        out(applied.length ? `applied ${applied.join(', ')}` : 'the database is up to date');
        return 0;
      }
      case 'import':
        return rest[0] === 'pipeline'
          ? await importPipeline(db, rest.slice(1), out, err, env)
          : await importDirectory(db, rest, out, err);
      case 'export':
        return await exportCsv(db, rest, out, err, stdout, env);
      case 'erase':
        return await eraseContact(db, rest, out, err, env);
      case 'digest':
        return await queueDigest(db, rest, out, err, env);
      default:
        err(`refdesk: unknown command "${command}"\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    // A setting the command reads (rules, currency, digest time zone) that is wrong: said once, like the URL.
    if (!(error instanceof ConfigError)) throw error;
    err(`refdesk: ${error.message}`);
    return 2;
  } finally {
    await db.destroy();
  }
}

if (isEntryPoint(import.meta.url)) {
  loadDotEnv();
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`refdesk: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
