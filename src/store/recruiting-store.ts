import type { DirectoryEntry } from '../domain/directory-entry.ts';
import type { GapSegment } from '../domain/gaps.ts';
import type {
  DrivePipeline,
  DriveStats,
  RecruitAnswer,
  RecruitAsk,
  RecruitingDrive,
  RecruitNeed,
} from '../domain/recruiting.ts';
import type { Activity, Seniority } from '../domain/vocabulary.ts';
import type { Db } from './database.ts';
import { readInChunks } from './read-in-chunks.ts';

const DRIVES = 'recruiting_drives';
const ASKS = 'recruiting_asks';

interface DriveRow {
  id: number;
  industry: string | null;
  product: string | null;
  region: string | null;
  company_size: string | null;
  seniority: string | null;
  activity: string | null;
  wanted: number;
  pipeline_amount: number | null;
  pipeline_count: number | null;
  status: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

interface AskRow {
  id: number;
  drive_id: number;
  owner_id: string;
  account_ids: string;
  asked_at: string;
  answer: string | null;
  answered_at: string | null;
}

const mapDrive = (r: DriveRow, currency: string | null): RecruitingDrive => ({
  id: r.id,
  segment: {
    ...(r.industry ? { industry: r.industry } : {}),
    ...(r.product ? { product: r.product } : {}),
    ...(r.region ? { region: r.region } : {}),
    ...(r.company_size ? { companySize: r.company_size } : {}),
  },
  seniority: r.seniority as Seniority | null,
  activity: r.activity as Activity | null,
  wanted: r.wanted,
  pipeline: {
    amount: r.pipeline_amount === null ? null : Number(r.pipeline_amount),
    count: r.pipeline_count,
    currency,
  },
  status: r.status === 'closed' ? 'closed' : 'open',
  createdBy: r.created_by,
  createdAt: r.created_at,
  closedAt: r.status === 'closed' ? r.updated_at : null,
});

const mapAsk = (r: AskRow): RecruitAsk => ({
  id: r.id,
  driveId: r.drive_id,
  ownerId: r.owner_id,
  accountIds: JSON.parse(r.account_ids) as number[],
  askedAt: r.asked_at,
  answer: r.answer as RecruitAnswer | null,
  answeredAt: r.answered_at,
});

/** An account of a segment, as an owner is asked about it. */
export interface SegmentAccount {
  id: number;
  name: string;
  ownerId: string;
  contacts: number;
}

/** All SQL about recruiting drives and the account owners they ask. */
export class RecruitingStore {
  async insertDrive(
    db: Db,
    need: RecruitNeed,
    pipeline: DrivePipeline,
    createdBy: string,
    at: string,
  ): Promise<number> {
    const [row] = (await db(DRIVES)
      .insert({
        industry: need.segment.industry ?? null,
        product: need.segment.product ?? null,
        region: need.segment.region ?? null,
        company_size: need.segment.companySize ?? null,
        seniority: need.seniority,
        activity: need.activity,
        wanted: need.wanted,
        pipeline_amount: pipeline.amount,
        pipeline_count: pipeline.count,
        status: 'open',
        created_by: createdBy,
        created_at: at,
        updated_at: at,
      })
      .returning('id')) as { id: number }[];
    return row!.id;
  }

  async drive(db: Db, id: number): Promise<RecruitingDrive | null> {
    const row = (await db(DRIVES).where({ id }).first()) as DriveRow | undefined;
    if (!row) return null;
    // The pipeline's single currency (an import refuses a mixed one).
    const currency = (await db('opportunities').whereNull('removed_at').first('currency')) as
      | { currency: string }
      | undefined;
    return mapDrive(row, currency?.currency ?? null);
  }

  /** The directory's accounts in the segment (with or without contacts) that have an owner, by owner. */
  async accountsOf(db: Db, segment: GapSegment): Promise<SegmentAccount[]> {
    const query = db('accounts as a')
      .whereNotNull('a.owner_id')
      .select('a.id', 'a.name', 'a.owner_id')
      .select(
        db('contacts as c')
          .whereRaw('c.account_id = a.id')
          .whereNot('c.status', 'retired')
          .count('*')
          .as('contacts'),
      )
      .orderBy(['a.owner_id', 'a.name', 'a.id']);
    if (segment.industry) query.where('a.industry', segment.industry);
    if (segment.region) query.where('a.region', segment.region);
    if (segment.companySize) query.where('a.company_size', segment.companySize);
    if (segment.product)
      query.whereExists(
        db('account_products as p')
          .whereRaw('p.account_id = a.id')
          .where('p.product', segment.product)
          .select(db.raw('1')),
      );
    const rows = (await query) as { id: number; name: string; owner_id: string; contacts: number | string }[];
    return rows.map((r) => ({ id: r.id, name: r.name, ownerId: r.owner_id, contacts: Number(r.contacts) }));
  }

  /** Of these owners, those any drive asked at or after `since`. */
  async askedSince(db: Db, ownerIds: readonly string[], since: string): Promise<Set<string>> {
    const rows = await readInChunks(
      ownerIds,
      (part) =>
        db(ASKS).whereIn('owner_id', part).where('asked_at', '>=', since).distinct('owner_id') as Promise<
          { owner_id: string }[]
        >,
    );
    return new Set(rows.map((r) => r.owner_id));
  }

  async insertAsks(
    db: Db,
    driveId: number,
    asks: readonly { ownerId: string; accountIds: readonly number[] }[],
    at: string,
  ): Promise<RecruitAsk[]> {
    if (asks.length === 0) return [];
    const rows = asks.map((a) => ({
      drive_id: driveId,
      owner_id: a.ownerId,
      account_ids: JSON.stringify(a.accountIds),
      asked_at: at,
    }));
    for (let i = 0; i < rows.length; i += 200) await db(ASKS).insert(rows.slice(i, i + 200));
    return await this.asksOf(db, driveId);
  }

  async asksOf(db: Db, driveId: number): Promise<RecruitAsk[]> {
    return ((await db(ASKS).where({ drive_id: driveId }).orderBy('id')) as AskRow[]).map(mapAsk);
  }

  async ask(db: Db, driveId: number, ownerId: string): Promise<RecruitAsk | null> {
    const row = (await db(ASKS).where({ drive_id: driveId, owner_id: ownerId }).first()) as
      | AskRow
      | undefined;
    return row ? mapAsk(row) : null;
  }

  /**
   * Records an owner's answer: "no one fits" only while they have not answered; a nomination also over an
   * earlier "no one fits" (they found someone after all). False when nothing changed.
   */
  async answer(
    db: Db,
    driveId: number,
    ownerId: string,
    answer: RecruitAnswer,
    at: string,
  ): Promise<boolean> {
    const query = db(ASKS).where({ drive_id: driveId, owner_id: ownerId });
    if (answer === 'no_one_fits') query.whereNull('answer');
    else query.where((w) => w.whereNull('answer').orWhere('answer', 'no_one_fits'));
    return (await query.update({ answer, answered_at: at })) === 1;
  }

  /** Closes an open drive; false when it was closed already. */
  async close(db: Db, driveId: number, at: string): Promise<boolean> {
    return (
      (await db(DRIVES)
        .where({ id: driveId, status: 'open' })
        .update({ status: 'closed', updated_at: at })) === 1
    );
  }

  /** An account as the nomination form starts from it. */
  async accountEntry(db: Db, accountId: number): Promise<Partial<DirectoryEntry> | null> {
    const row = (await db('accounts').where({ id: accountId }).first()) as
      | {
          name: string;
          external_id: string | null;
          industry: string | null;
          region: string | null;
          company_size: string;
        }
      | undefined;
    if (!row) return null;
    const products = (await db('account_products')
      .where({ account_id: accountId })
      .orderBy('product')
      .pluck('product')) as string[];
    return {
      account: row.name,
      accountId: row.external_id,
      industry: row.industry,
      region: row.region,
      companySize: row.company_size,
      products,
    };
  }

  async stats(db: Db, driveId: number): Promise<DriveStats> {
    const asks = (await db(ASKS)
      .where({ drive_id: driveId })
      .select(
        db.raw('count(*) as asked'),
        db.raw('count(answer) as answered'),
        db.raw("sum(case when answer = 'no_one_fits' then 1 else 0 end) as no_one_fits"),
      )
      .first()) as { asked: number | string; answered: number | string; no_one_fits: number | string | null };
    const nominations = (await db('nominations')
      .where({ drive_id: driveId })
      .select(
        db.raw('count(*) as made'),
        db.raw("sum(case when status = 'accepted' then 1 else 0 end) as accepted"),
      )
      .first()) as { made: number | string; accepted: number | string | null };
    return {
      asked: Number(asks.asked),
      answered: Number(asks.answered),
      noOneFits: Number(asks.no_one_fits ?? 0),
      nominations: Number(nominations.made),
      accepted: Number(nominations.accepted ?? 0),
    };
  }
}
