import type { ImageBlock } from '@slack/types';
import { weekLabel } from '../../charts/specs.ts';
import { formatDay } from '../../domain/dates.ts';
import type { Compared } from '../../domain/report.ts';
import type { WeeklyDigest } from '../../services/digest-service.ts';
import { formatAmount } from '../mrkdwn.ts';
import { context, header, type SlackMessage, section } from './kit.ts';

/** "12 (8 the week before, +50%)". */
function against({ current, previous }: Compared, format: (n: number) => string = String): string {
  if (previous === 0) return `${format(current)} (${format(previous)} the week before)`;
  const change = Math.round(((current - previous) / previous) * 100);
  return `${format(current)} (${format(previous)} the week before, ${change >= 0 ? '+' : ''}${change}%)`;
}

const hours = (h: number | null): string =>
  h === null ? 'none yet' : h < 48 ? `${Math.round(h)} h` : `${Math.round(h / 24)} days`;

/** The 12 weeks as a text table: what the chart shows, for workspaces that refuse the picture. */
function weeksTable(digest: WeeklyDigest): string {
  const rows = digest.weeks.map(
    (w) =>
      `${weekLabel(w.weekStart).padEnd(8)} ${String(w.asks).padStart(5)} ${String(w.fulfilled).padStart(9)}`,
  );
  return [
    '```',
    `${'Week of'.padEnd(8)} ${'Asks'.padStart(5)} ${'Fulfilled'.padStart(9)}`,
    ...rows,
    '```',
  ].join('\n');
}

/** The weekly digest for the managers' channel: the week against the week before, and 12 weeks of asks. */
export function weeklyDigestMessage(digest: WeeklyDigest, chart: ImageBlock | null): SlackMessage {
  const { report } = digest;
  const { current } = report.periods;
  const fulfilled = report.volume.byStatus.fulfilled;
  const secured = report.turnaround.toSecured;
  const lines = [
    `*Asks:* ${against(report.volume.total)}`,
    `*Fulfilled* (an owner secured the contact): ${against(fulfilled)}`,
    `*Time to a secured contact* (median, asks secured this week): ${hours(secured.current.medianHours)} (${hours(secured.previous.medianHours)} the week before)`,
    `*Influenced revenue* (won deals a held reference helped, as reported by reps): ${against(report.outcomes.influencedRevenue, formatAmount)}`,
    `*Contacts at or near their cap* (${report.contacts.nearThreshold}+ asks in ${report.contacts.windowDays} days): ${report.contacts.nearCaps.total}`,
    `*Nominations waiting over 7 days:* ${digest.agingNominations}`,
  ];
  const title = `Reference program: the week of ${formatDay(current.firstDay)}`;
  return {
    text: `${title}: ${report.volume.total.current} asks, ${fulfilled.current} fulfilled`,
    blocks: [
      header(title),
      section(lines.join('\n')),
      ...(chart ? [chart] : [section(`*Asks and fulfilled per week*\n${weeksTable(digest)}`)]),
      context('Counts asks submitted in the week; `/reference report` has every figure for any period.'),
    ],
  };
}
