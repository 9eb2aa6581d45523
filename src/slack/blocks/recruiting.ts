import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { type GapSegment, segmentLabel } from '../../domain/gaps.ts';
import type { DriveNoteEvent } from '../../domain/notifications.ts';
import {
  type DrivePipeline,
  type DriveStats,
  driveRef,
  MAX_WANTED,
  OWNER_COOLDOWN_DAYS,
} from '../../domain/recruiting.ts';
import { ACTIVITIES, activityLabel, SENIORITIES, seniorityLabel } from '../../domain/vocabulary.ts';
import type { DriveView, OwnerAskView } from '../../services/recruiting-service.ts';
import type { Nomination } from '../../store/nomination-store.ts';
import { ACTIONS, RECRUIT_FIELDS, VIEWS } from '../ids.ts';
import { escapeText, mention, slackTime } from '../mrkdwn.ts';
import { shortAmount } from './gaps.ts';
import { actions, button, context, input, LIMIT, option, plain, type SlackMessage, section } from './kit.ts';
import { who } from './nomination-messages.ts';

const segmentSchema = z.object({
  industry: z.string().max(75).optional(),
  product: z.string().max(75).optional(),
  region: z.string().max(75).optional(),
  companySize: z.string().max(75).optional(),
});

/** The Recruit button of a gap: its segment and the open pipeline it carries. */
export const recruitButtonSchema = z.object({
  segment: segmentSchema,
  amount: z.number().nonnegative().nullable(),
  count: z.number().int().nonnegative().nullable(),
  currency: z.string().max(3).nullable(),
});
export type RecruitButton = z.infer<typeof recruitButtonSchema>;

/** The drive's form remembers the pipeline the gap showed. */
export const recruitMetadataSchema = recruitButtonSchema.omit({ segment: true });

/** A drive's or an owner's button: which drive. */
export const driveButtonSchema = z.object({ driveId: z.number().int().positive() });

const SEGMENT_FIELDS = [
  ['industry', 'Industry'],
  ['product', 'Product'],
  ['region', 'Region'],
  ['companySize', 'Company size'],
] as const;

/** Recruit: what the program needs in the segment of a gap (its values, which the manager may change). */
export function recruitModal(button: RecruitButton): ModalView {
  const seniorities = Object.entries(SENIORITIES).map(([v, t]) => option(t, v));
  const activities = Object.entries(ACTIVITIES).map(([v, t]) => option(t, v));
  const blocks: KnownBlock[] = [
    section(
      `Account owners of this segment's customers get a DM asking them to nominate a contact (each owner at most once in ${OWNER_COOLDOWN_DAYS} days).`,
    ),
    ...SEGMENT_FIELDS.map(([field, label]) =>
      input(
        RECRUIT_FIELDS[field].block,
        label,
        {
          type: 'plain_text_input',
          action_id: RECRUIT_FIELDS[field].action,
          max_length: 75,
          ...(button.segment[field] ? { initial_value: button.segment[field] } : {}),
        },
        { optional: true },
      ),
    ),
    input(
      RECRUIT_FIELDS.seniority.block,
      'Seniority needed',
      { type: 'static_select', action_id: RECRUIT_FIELDS.seniority.action, options: seniorities },
      { optional: true },
    ),
    input(
      RECRUIT_FIELDS.activity.block,
      'Activity needed',
      { type: 'static_select', action_id: RECRUIT_FIELDS.activity.action, options: activities },
      { optional: true },
    ),
    input(RECRUIT_FIELDS.wanted.block, 'How many new references', {
      type: 'number_input',
      is_decimal_allowed: false,
      action_id: RECRUIT_FIELDS.wanted.action,
      min_value: '1',
      max_value: String(MAX_WANTED),
      initial_value: '2',
    }),
  ];
  const { segment: _segment, ...pipeline } = button;
  return {
    type: 'modal',
    callback_id: VIEWS.recruit,
    title: plain('Recruit references', LIMIT.modalTitle),
    submit: plain('Ask the owners', LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    private_metadata: JSON.stringify(pipeline),
    blocks,
  };
}

/** "2 VP references for reference calls in Healthcare · EMEA". */
function needText(need: {
  segment: GapSegment;
  seniority: string | null;
  activity: string | null;
  wanted: number;
}): string {
  const who = need.seniority ? `${seniorityLabel(need.seniority as never)} ` : '';
  const what = need.activity ? ` for ${activityLabel(need.activity as never).toLowerCase()}s` : '';
  return `${need.wanted} ${who}reference${need.wanted === 1 ? '' : 's'}${what} in *${escapeText(segmentLabel(need.segment))}*`;
}

const pipelineText = (p: DrivePipeline) =>
  p.amount === null
    ? ''
    : ` for ${shortAmount(p.amount, p.currency)} of open pipeline in ${p.count ?? 0} deals`;

/** The drive's card in the managers' channel: what it asks for, and how many owners answered and nominated. */
export function driveCard({ drive, stats }: DriveView): SlackMessage {
  const ref = driveRef(drive.id);
  const line = `*${ref}* · ${mention(drive.createdBy)} is recruiting ${needText(drive)}${pipelineText(drive.pipeline)}.`;
  const counts = countsText(stats);
  const end: KnownBlock =
    drive.status === 'open'
      ? actions('drive', [button('Close drive', ACTIONS.closeDrive, { driveId: drive.id })])
      : context(
          `Closed ${slackTime(drive.closedAt ?? drive.createdAt)}: owners who had not answered are asked nothing more.`,
        );
  return {
    text: `${ref}: recruiting ${segmentLabel(drive.segment)}`.slice(0, 3000),
    blocks: [section(line), section(counts), end],
  };
}

const countsText = (stats: DriveStats) =>
  `Owners asked: *${stats.asked}* · answered: *${stats.answered}* (${stats.noOneFits} said no one fits) · nominations: *${stats.nominations}*, accepted: *${stats.accepted}*`;

/** A note in the drive card's thread: an owner's answer or a decided nomination, and the drive's figures now. */
export function driveThreadNote(
  { drive, stats }: DriveView,
  event: DriveNoteEvent,
  ownerId: string,
  nomination: Nomination | null,
): SlackMessage {
  const nominee = nomination ? who(nomination) : 'a contact';
  const by = nomination?.decidedBy ? ` by ${mention(nomination.decidedBy)}` : '';
  const line = {
    no_one_fits: `:ok_hand: ${mention(ownerId)} says no one fits.`,
    nominated: `:star2: ${mention(ownerId)} nominated ${nominee}.`,
    accepted: `:white_check_mark: The nomination of ${nominee} from ${mention(ownerId)} was accepted${by}.`,
    declined: `:x: The nomination of ${nominee} from ${mention(ownerId)} was declined${by}.`,
  }[event];
  return {
    text: `${driveRef(drive.id)}: ${event.replaceAll('_', ' ')}`,
    blocks: [section(line), context(countsText(stats))],
  };
}

/** The DM to an account owner: what the program needs and why, their accounts, and how to answer. */
export function ownerRecruitMessage({ drive, ask, accounts }: OwnerAskView): SlackMessage {
  const ref = driveRef(drive.id);
  const mine = accounts.map(
    (a) => `${escapeText(a.name)}${a.contacts > 0 ? ` (${a.contacts} in the program)` : ''}`,
  );
  const head = `:wave: The reference program needs ${needText(drive)}${pipelineText(drive.pipeline)}. Your customers there: ${mine.join(', ') || '_none any more_'}. Is there a happy contact you could nominate?`;
  const blocks: KnownBlock[] = [section(head)];
  if (ask.answer === null && drive.status === 'closed')
    blocks.push(context(':lock: This drive is closed: nothing more is needed. Thank you!'));
  else if (ask.answer === null)
    blocks.push(
      actions('recruit_answer', [
        button('Nominate a contact', ACTIONS.recruitNominate, { driveId: drive.id }, 'primary'),
        button('No one fits', ACTIONS.recruitNoOneFits, { driveId: drive.id }),
      ]),
    );
  else
    blocks.push(
      context(
        ask.answer === 'nominated'
          ? ':white_check_mark: You nominated a contact. Thank you: the reference managers will review it.'
          : ':ok_hand: You said no one fits. Thank you: nobody will remind you.',
      ),
    );
  return { text: `${ref}: the reference program needs references in ${segmentLabel(drive.segment)}`, blocks };
}
