import type { Db } from './database.ts';

const REVISIONS = 'refdesk_revisions';

/**
 * Counters bumped in the same transaction as a change, so every process (and replica)
 * can tell cheaply whether its in-memory directory index is stale.
 * directory: accounts and contacts; usage: asks and their states; ratings: outcome ratings.
 */
export type RevisionName = 'directory' | 'usage' | 'ratings';
export type Revisions = Record<RevisionName, number>;

export class RevisionStore {
  async bump(db: Db, name: RevisionName): Promise<void> {
    await db(REVISIONS).where({ name }).increment('value', 1);
  }

  async read(db: Db): Promise<Revisions> {
    const rows = (await db(REVISIONS).select('name', 'value')) as {
      name: RevisionName;
      value: number | string;
    }[];
    const out: Revisions = { directory: 0, usage: 0, ratings: 0 };
    for (const row of rows) out[row.name] = Number(row.value);
    return out;
  }
}
