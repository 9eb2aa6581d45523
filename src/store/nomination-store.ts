import type { DirectoryEntry } from '../domain/directory-entry.ts';
import type { Db } from './database.ts';

const NOMINATIONS = 'nominations';

export type NominationStatus = 'pending' | 'accepted' | 'declined';

/** Somebody's proposal of a customer contact for the reference program. */
export interface Nomination {
  id: number;
  nominatedBy: string;
  entry: DirectoryEntry;
  why: string;
  status: NominationStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  contactId: number | null;
  /** The recruiting drive it answers, if any. */
  driveId: number | null;
  createdAt: string;
}

interface NominationRow {
  id: number;
  nominated_by: string;
  entry: string;
  why: string;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  contact_id: number | null;
  drive_id: number | null;
  created_at: string;
}

const mapNomination = (r: NominationRow): Nomination => ({
  id: r.id,
  nominatedBy: r.nominated_by,
  entry: JSON.parse(r.entry) as DirectoryEntry,
  why: r.why,
  status: r.status as NominationStatus,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  decisionReason: r.decision_reason,
  contactId: r.contact_id,
  driveId: r.drive_id ?? null,
  createdAt: r.created_at,
});

export class NominationStore {
  async insert(
    db: Db,
    nominatedBy: string,
    entry: DirectoryEntry,
    why: string,
    at: string,
    driveId: number | null = null,
  ): Promise<Nomination> {
    const [row] = (await db(NOMINATIONS)
      .insert({
        nominated_by: nominatedBy,
        drive_id: driveId,
        entry: JSON.stringify(entry),
        why,
        status: 'pending',
        created_at: at,
        updated_at: at,
      })
      .returning('*')) as NominationRow[];
    return mapNomination(row!);
  }

  async get(db: Db, id: number): Promise<Nomination | null> {
    const row = (await db(NOMINATIONS).where({ id }).first()) as NominationRow | undefined;
    return row ? mapNomination(row) : null;
  }

  /** Records the decision only while the nomination is pending: of two clicks, one wins. */
  async decide(
    db: Db,
    id: number,
    decision: {
      status: 'accepted' | 'declined';
      by: string;
      reason: string | null;
      contactId: number | null;
    },
    at: string,
  ): Promise<boolean> {
    const count = await db(NOMINATIONS).where({ id, status: 'pending' }).update({
      status: decision.status,
      decided_by: decision.by,
      decided_at: at,
      decision_reason: decision.reason,
      contact_id: decision.contactId,
      updated_at: at,
    });
    return count === 1;
  }
}
