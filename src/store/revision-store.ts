import type { Db } from './database.ts';

const REVISIONS = 'refdesk_revisions';

/**
 * Counters bumped in the same transaction as a change, so every process (and replica)
 * can tell cheaply whether its in-memory state is stale.
 * directory: accounts and contacts; usage: asks and their states; ratings: outcome ratings;
 * managers: the managers' channel changed (each replica's cached list of managers is dropped).
 *
 * Bumping locks the counter's row until the transaction ends, so writers of one counter commit
 * one after another in counter order. Lock order, everywhere: the rows a change is about (the
 * request, then its asks, then contacts), then the counters in REVISION_NAMES order.
 */
export const REVISION_NAMES = ['directory', 'managers', 'ratings', 'usage'] as const;
export type RevisionName = (typeof REVISION_NAMES)[number];
export type Revisions = Record<RevisionName, number>;

async function bump(db: Db, name: RevisionName): Promise<void> {
  await db(REVISIONS).where({ name }).increment('value', 1);
}

/**
 * Bumps the counter and returns its new value, for rows written in the same transaction to carry:
 * a reader that has seen value N has seen every row stamped N or less (their writers committed).
 */
export async function stampRevision(trx: Db, name: RevisionName): Promise<number> {
  if (!trx.isTransaction) throw new Error(`a ${name} stamp needs the transaction of the change`);
  await bump(trx, name);
  const row = (await trx(REVISIONS).where({ name }).first('value')) as { value: number | string };
  return Number(row.value);
}

export class RevisionStore {
  bump(db: Db, name: RevisionName): Promise<void> {
    return bump(db, name);
  }

  async read(db: Db): Promise<Revisions> {
    const rows = (await db(REVISIONS).select('name', 'value')) as {
      name: RevisionName;
      value: number | string;
    }[];
    const out: Revisions = { directory: 0, managers: 0, ratings: 0, usage: 0 };
    for (const row of rows) out[row.name] = Number(row.value);
    return out;
  }
}
