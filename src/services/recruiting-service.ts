import { subDays } from 'date-fns';
import type { DirectoryEntry } from '../domain/directory-entry.ts';
import { driveNews } from '../domain/notifications.ts';
import {
  type DrivePipeline,
  type DriveStats,
  driveRef,
  OWNER_COOLDOWN_DAYS,
  type RecruitAsk,
  type RecruitingDrive,
  recruitNeedSchema,
} from '../domain/recruiting.ts';
import { AlreadyDecidedError, InputError, NotAllowedError, NotFoundError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import type { RecruitingStore, SegmentAccount } from '../store/recruiting-store.ts';
import type { Actor } from './requests/index.ts';
import { parseInput } from './requests/request-use-case.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export const DRIVES_ARE_FOR_MANAGERS = 'Recruiting drives are for reference managers.';

export interface RecruitingServiceDeps {
  db: Db;
  work: UnitOfWork;
  store: RecruitingStore;
  now: () => Date;
}

/** What a drive did when it started: whom it asked, and whom it left alone (asked in the last 30 days). */
export interface DriveStart {
  drive: RecruitingDrive;
  asked: number;
  resting: number;
  accounts: number;
}

/** A drive as its card and its DMs show it. */
export interface DriveView {
  drive: RecruitingDrive;
  stats: DriveStats;
}

/** An owner's DM of a drive: what it needs, their accounts in the segment, and whether they answered. */
export interface OwnerAskView {
  drive: RecruitingDrive;
  ask: RecruitAsk;
  accounts: SegmentAccount[];
}

/**
 * Recruiting: from a coverage gap, managers ask the account owners of the segment's customers to nominate the
 * references the pipeline needs; each owner at most once in 30 days, through the outbox.
 */
export class RecruitingService {
  constructor(private readonly deps: RecruitingServiceDeps) {}

  authorize(actor: Actor): void {
    if (!actor.isManager) throw new NotAllowedError(DRIVES_ARE_FOR_MANAGERS);
  }

  /** Starts a drive: one DM per owner of an account in the segment who was not asked in the last 30 days. */
  async start(actor: Actor, input: unknown, pipeline: DrivePipeline): Promise<DriveStart> {
    this.authorize(actor);
    const need = parseInput(recruitNeedSchema, input);
    return this.deps.work.run([], async (trx, notify) => {
      const { store } = this.deps;
      const now = this.deps.now();
      const accounts = await store.accountsOf(trx, need.segment);
      if (accounts.length === 0)
        throw new InputError({
          industry: 'No customer account of the directory is in this segment: nobody to ask.',
        });
      const byOwner = new Map<string, number[]>();
      for (const account of accounts)
        byOwner.set(account.ownerId, [...(byOwner.get(account.ownerId) ?? []), account.id]);
      const since = subDays(now, OWNER_COOLDOWN_DAYS).toISOString();
      const resting = await store.askedSince(trx, [...byOwner.keys()], since);
      const toAsk = [...byOwner].filter(([owner]) => !resting.has(owner));
      if (toAsk.length === 0)
        throw new InputError({
          industry: `Every owner of this segment's accounts was asked in the last ${OWNER_COOLDOWN_DAYS} days: try again later.`,
        });
      const at = now.toISOString();
      const driveId = await store.insertDrive(trx, need, pipeline, actor.id, at);
      await store.insertAsks(
        trx,
        driveId,
        toAsk.map(([ownerId, accountIds]) => ({ ownerId, accountIds })),
        at,
      );
      notify({ to: 'managers', notification: { type: 'recruiting_drive', driveId } });
      for (const [ownerId] of toAsk)
        notify({ to: { user: ownerId }, notification: { type: 'recruit_owner', driveId } });
      return {
        drive: (await store.drive(trx, driveId))!,
        asked: toAsk.length,
        resting: resting.size,
        accounts: accounts.length,
      };
    });
  }

  /** A manager closes a drive: its card says so and the owners who have not answered lose their buttons. */
  async close(actor: Actor, driveId: number): Promise<void> {
    this.authorize(actor);
    await this.deps.work.run([], async (trx, notify) => {
      await this.driveOf(trx, driveId);
      if (!(await this.deps.store.close(trx, driveId, this.deps.now().toISOString())))
        throw new AlreadyDecidedError(`${driveRef(driveId)} is already closed.`);
      notify({ to: 'managers', notification: { type: 'recruiting_drive', driveId } });
      for (const ask of await this.deps.store.asksOf(trx, driveId))
        if (ask.answer === null)
          notify({ to: { user: ask.ownerId }, notification: { type: 'recruit_owner', driveId } });
    });
  }

  /** "No one fits", from an owner the drive asked, once, while it is open. */
  async noOneFits(ownerId: string, driveId: number): Promise<void> {
    await this.deps.work.run([], async (trx, notify) => {
      await this.assertOpen(trx, driveId);
      const ask = await this.askOf(trx, ownerId, driveId);
      if (
        !(await this.deps.store.answer(trx, driveId, ownerId, 'no_one_fits', this.deps.now().toISOString()))
      )
        throw new AlreadyDecidedError(
          `You already answered ${driveRef(driveId)}${ask.answer === 'nominated' ? ' with a nomination' : ''}.`,
        );
      for (const news of driveNews(driveId, 'no_one_fits', ownerId)) notify(news);
      notify({ to: { user: ownerId }, notification: { type: 'recruit_owner', driveId } });
    });
  }

  /** The nomination form's first values for an owner the drive asked: their first account of the segment. */
  async nominationEntry(ownerId: string, driveId: number): Promise<Partial<DirectoryEntry>> {
    const { db, store } = this.deps;
    const ask = await this.askOf(db, ownerId, driveId);
    const drive = await this.assertOpen(db, driveId);
    const account = ask.accountIds.length > 0 ? await store.accountEntry(db, ask.accountIds[0]!) : null;
    return {
      ...account,
      industry: account?.industry ?? drive.segment.industry ?? null,
      region: account?.region ?? drive.segment.region ?? null,
      companySize: account?.companySize ?? drive.segment.companySize ?? '',
      products: account?.products ?? (drive.segment.product ? [drive.segment.product] : []),
      owner: ownerId,
      ...(drive.seniority ? { seniority: drive.seniority } : {}),
      ...(drive.activity ? { activities: [drive.activity] } : {}),
    };
  }

  /** A drive with where it stands, for its card in the managers' channel. */
  async view(driveId: number): Promise<DriveView> {
    const { db, store } = this.deps;
    return { drive: await this.driveOf(db, driveId), stats: await store.stats(db, driveId) };
  }

  /** An owner's ask of a drive with their accounts of the segment, for their DM. */
  async ownerView(ownerId: string, driveId: number): Promise<OwnerAskView> {
    const { db, store } = this.deps;
    const ask = await this.askOf(db, ownerId, driveId);
    const drive = await this.driveOf(db, driveId);
    const mine = new Set(ask.accountIds);
    const accounts = (await store.accountsOf(db, drive.segment)).filter((a) => mine.has(a.id));
    return { drive, ask, accounts };
  }

  private async driveOf(db: Db, driveId: number): Promise<RecruitingDrive> {
    const drive = await this.deps.store.drive(db, driveId);
    if (!drive) throw new NotFoundError('This recruiting drive does not exist any more.');
    return drive;
  }

  private async assertOpen(db: Db, driveId: number): Promise<RecruitingDrive> {
    const drive = await this.driveOf(db, driveId);
    if (drive.status === 'closed')
      throw new AlreadyDecidedError(`${driveRef(driveId)} is closed: nothing more is needed. Thank you!`);
    return drive;
  }

  private async askOf(db: Db, ownerId: string, driveId: number): Promise<RecruitAsk> {
    const ask = await this.deps.store.ask(db, driveId, ownerId);
    if (!ask)
      throw new NotAllowedError(`${driveRef(driveId)} did not ask you: it asks the owners of its accounts.`);
    return ask;
  }
}
