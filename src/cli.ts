import { once } from 'node:events';
import { createWriteStream, readFileSync, renameSync, rmSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { ConfigError, loadDatabaseConfig, loadDotEnv } from './config.ts';
import { isEntryPoint } from './entry-point.ts';
import { DirectoryExport } from './services/directory-export.ts';
import { DirectoryImport, type ImportIssue } from './services/directory-import.ts';
import { type Db, migrate, openDatabase } from './store/database.ts';

const USAGE = `usage: npm run refdesk -- <command>

commands:
  migrate               apply pending database migrations
  import <file.csv>     load accounts and reference contacts from a CSV file
  export contacts [file.csv]
                        write the directory as CSV in the import format, to stdout without a file
                        (use npm run --silent so npm's own lines stay out of stdout)
  help                  this text`;

const formatIssue = (i: ImportIssue) =>
  `  line ${i.line}${i.column ? `, column ${i.column}` : ''}: ${i.reason}`;

/** Writes a chunk, waiting when the stream asks to (a slow pipe or disk). */
async function writeChunk(stream: Writable, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/** Writes the file under a temporary name and renames it at the end: a failed export leaves no half file. */
async function exportToFile(exporter: DirectoryExport, file: string): Promise<number> {
  const partial = `${file}.${process.pid}.partial`;
  const stream = createWriteStream(partial);
  try {
    await once(stream, 'open');
    const contacts = await exporter.writeCsv((chunk) => writeChunk(stream, chunk));
    stream.end();
    await once(stream, 'finish');
    renameSync(partial, file);
    return contacts;
  } catch (error) {
    stream.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
}

async function exportContacts(
  db: Db,
  rest: string[],
  out: (line: string) => void,
  err: (line: string) => void,
  stdout: Writable,
): Promise<number> {
  const [what, file, ...extra] = rest;
  if (what !== 'contacts' || extra.length > 0) {
    err('refdesk: usage: npm run refdesk -- export contacts [file.csv]');
    return 2;
  }
  await migrate(db);
  const exporter = new DirectoryExport(db);
  if (!file) {
    await exporter.writeCsv((chunk) => writeChunk(stdout, chunk));
    return 0;
  }
  let contacts: number;
  try {
    contacts = await exportToFile(exporter, file);
  } catch (error) {
    // A file system error (no such folder, no permission) is the user's to fix; anything else is a bug.
    if (!(error as NodeJS.ErrnoException).syscall) throw error;
    err(`refdesk: cannot write ${file}: ${(error as Error).message}`);
    return 2;
  }
  out(`exported ${contacts} contacts to ${file}`);
  return 0;
}

/** Runs one CLI command; returns the process exit code. Output goes to the given writers. */
export async function runCli(
  args: string[],
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
  stdout: Writable = process.stdout,
): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === 'help' || command === '--help') {
    out(USAGE);
    return command ? 0 : 2;
  }
  let databaseUrl: string;
  try {
    databaseUrl = loadDatabaseConfig().databaseUrl;
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
      case 'import': {
        const [file] = rest;
        if (!file) {
          err('refdesk: import needs a file: npm run refdesk -- import contacts.csv');
          return 2;
        }
        // Bytes, not text: the import decodes them strictly and refuses a file that is not UTF-8.
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch (error) {
          err(`refdesk: cannot read ${file}: ${(error as Error).message}`);
          return 2;
        }
        await migrate(db);
        const result = await new DirectoryImport(db).importCsv(bytes, new Date());
        if (!result.ok) {
          err(`refdesk: ${file} was not imported; nothing was written. Fix these rows and try again:`);
          for (const issue of result.issues) err(formatIssue(issue));
          return 1;
        }
        const { rows, accounts: a, contacts: c } = result.summary;
        out(
          `imported ${rows} rows: accounts ${a.created} new, ${a.updated} updated, ${a.unchanged} unchanged; ` +
            `contacts ${c.created} new, ${c.updated} updated, ${c.unchanged} unchanged`,
        );
        return 0;
      }
      case 'export':
        return await exportContacts(db, rest, out, err, stdout);
      default:
        err(`refdesk: unknown command "${command}"\n${USAGE}`);
        return 2;
    }
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
