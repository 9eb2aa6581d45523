import { z } from 'zod';
import type { GapSegment } from './gaps.ts';
import { ACTIVITY_KEYS, type Activity, SENIORITY_KEYS, type Seniority } from './vocabulary.ts';

/** An account owner is asked to nominate at most once in this many days, whatever the drive. */
export const OWNER_COOLDOWN_DAYS = 30;
export const MAX_WANTED = 50;

const segmentValue = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
  z.string().trim().max(75).nullish(),
);

/**
 * What the program needs, as a manager asks for it from a gap: the segment (at least one of its values),
 * a seniority and an activity if it matters, and how many new references.
 */
export const recruitNeedSchema = z
  .object({
    industry: segmentValue,
    product: segmentValue,
    region: segmentValue,
    companySize: segmentValue,
    seniority: z.preprocess((v) => (v === '' ? null : v), z.enum(SENIORITY_KEYS).nullish()),
    activity: z.preprocess((v) => (v === '' ? null : v), z.enum(ACTIVITY_KEYS).nullish()),
    wanted: z.coerce
      .number('Say how many references the program needs.')
      .int('Say a whole number.')
      .min(1, 'At least one.')
      .max(MAX_WANTED, `At most ${MAX_WANTED}.`),
  })
  .superRefine((need, ctx) => {
    if (!need.industry && !need.product && !need.region && !need.companySize)
      ctx.addIssue({
        code: 'custom',
        path: ['industry'],
        message: 'Name the segment: at least one of these.',
      });
  })
  .transform((need) => ({
    segment: {
      ...(need.industry ? { industry: need.industry } : {}),
      ...(need.product ? { product: need.product } : {}),
      ...(need.region ? { region: need.region } : {}),
      ...(need.companySize ? { companySize: need.companySize } : {}),
    } as GapSegment,
    seniority: (need.seniority ?? null) as Seniority | null,
    activity: (need.activity ?? null) as Activity | null,
    wanted: need.wanted,
  }));
export type RecruitNeed = z.output<typeof recruitNeedSchema>;

/** The open pipeline a drive would serve, as the managers saw it on the gap. */
export interface DrivePipeline {
  amount: number | null;
  count: number | null;
  currency: string | null;
}

export interface RecruitingDrive extends RecruitNeed {
  id: number;
  pipeline: DrivePipeline;
  status: 'open' | 'closed';
  createdBy: string;
  createdAt: string;
  /** When a manager closed it (nothing more is asked of its owners). */
  closedAt: string | null;
}

export type RecruitAnswer = 'nominated' | 'no_one_fits';

/** One account owner asked by a drive, for the accounts of the segment they hold. */
export interface RecruitAsk {
  id: number;
  driveId: number;
  ownerId: string;
  accountIds: number[];
  askedAt: string;
  answer: RecruitAnswer | null;
  answeredAt: string | null;
}

/** Where a drive stands: owners asked and answered, nominations made from it and accepted. */
export interface DriveStats {
  asked: number;
  answered: number;
  noOneFits: number;
  nominations: number;
  accepted: number;
}

export const driveRef = (id: number): string => `DRIVE-${id}`;
