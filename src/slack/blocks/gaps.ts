import type { KnownBlock, ModalView } from '@slack/types';
import type { CoverageGap, CoverageGaps } from '../../domain/gaps.ts';
import { ACTIONS, COMMAND, VIEWS } from '../ids.ts';
import { escapeText, slackTime } from '../mrkdwn.ts';
import { button, context, divider, LIMIT, plain, section } from './kit.ts';
import type { RecruitButton } from './recruiting.ts';

/** "4.2M", "850K", "1,200": amounts at a glance, in the pipeline's currency. */
export function shortAmount(amount: number, currency: string | null): string {
  const unit = currency ? `${currency} ` : '';
  const abs = Math.abs(amount);
  if (abs >= 1e9) return `${unit}${Number((amount / 1e9).toFixed(1))}B`;
  if (abs >= 1e6) return `${unit}${Number((amount / 1e6).toFixed(1))}M`;
  if (abs >= 1e4) return `${unit}${Math.round(amount / 1e3)}K`;
  return `${unit}${Math.round(amount).toLocaleString('en-US')}`;
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * A gap in one plain line: "Healthcare · Analytics · EMEA: USD 4.2M open in 11 deals, 7 asks in 90 days,
 * 3 unmet; 1 contact able to take 2 more asks; no C-level or VP". Plain text: escape it for mrkdwn.
 */
export function gapLine(gap: CoverageGap, currency: string | null, windowDays: number): string {
  const { pipeline, demand, supply } = gap;
  const deals = plural(pipeline.openCount, 'deal');
  const asks = `${plural(demand.asks, 'ask')} in ${windowDays} days, ${demand.unmet.toLocaleString('en-US')} unmet`;
  const capacity =
    supply.contacts === 0
      ? 'no active contact'
      : `${plural(supply.contactsWithCapacity, 'contact')} able to take ${plural(supply.capacityLeft, 'more ask', 'more asks')}`;
  const seniority = supply.hasExecutive ? 'a C-level or VP among them' : 'no C-level or VP';
  return `${gap.label}: ${shortAmount(pipeline.openAmount, currency)} open in ${deals}, ${asks}; ${capacity}; ${seniority}`;
}

const RISING = ':chart_with_upwards_trend: up-and-coming';

/** One gap as mrkdwn: its rank and line, flagged when its pipeline is growing fast. */
const gapText = (gap: CoverageGap, result: CoverageGaps) =>
  `*${gap.rank}.* ${escapeText(gapLine(gap, result.currency, result.windowDays))}${gap.upAndComing ? ` · ${RISING}` : ''}`;

const NO_PIPELINE = `No pipeline is loaded: import the CRM's opportunities with \`npm run refdesk -- import pipeline <file.csv>\` to see where the program is short.`;

/** What the ranking counts, in plain words. */
function countsLine(result: CoverageGaps): string {
  const t = result.thresholds;
  return `Segments (industry, product, region, company size and their pairs and triples) with at least ${t.minOpenOpportunities} open deals and ${Math.round(t.minPipelineShare * 100)}% of the open pipeline, most short first (segments holding the very same deals, asks and contacts listed once, by the narrowest): open pipeline weighed against unmet asks and the asks the segment's active contacts can still take under the program's rules. Asks and unmet asks count the last ${result.windowDays} days; unmet means no eligible contact, denied as "No suitable reference", every owner declined, or expired. Up-and-coming: deals created in the last ${result.windowDays} days up by half or more on the ${result.windowDays} before.`;
}

const MODAL_GAPS = 20;

/** What the Recruit button of a gap carries: its segment and the open pipeline it would serve. */
const recruitValue = (gap: CoverageGap, result: CoverageGaps): RecruitButton => ({
  segment: gap.segment,
  amount: gap.pipeline.openAmount,
  count: gap.pipeline.openCount,
  currency: result.currency,
});

/** `/reference gaps`: the segments most short of references, one line each, with a Recruit button. */
export function gapsModal(result: CoverageGaps | null, note?: string): ModalView {
  const body: KnownBlock[] =
    result === null
      ? [section(note ?? ':hourglass_flowing_sand: Working out the gaps…')]
      : !result.pipelineLoaded
        ? [section(NO_PIPELINE)]
        : [
            section(
              `*Open pipeline:* ${shortAmount(result.totals.pipeline.openAmount, result.currency)} in ${plural(result.totals.pipeline.openCount, 'deal')} · *${plural(result.totals.segments, 'segment')}* carry real pipeline, ${result.totals.upAndComingSegments.toLocaleString('en-US')} up-and-coming`,
            ),
            context(countsLine(result)),
            divider(),
            ...(result.gaps.length === 0
              ? [section('_No segment carries enough pipeline to rank._')]
              : result.gaps.slice(0, MODAL_GAPS).map((gap) => ({
                  ...section(gapText(gap, result)),
                  accessory: button('Recruit', ACTIONS.recruit, recruitValue(gap, result)),
                }))),
            context(
              `Worked out ${slackTime(result.asOf)}. The same list: \`npm run refdesk -- export gaps\`.`,
            ),
          ];
  return {
    type: 'modal',
    callback_id: VIEWS.gaps,
    title: plain('Coverage gaps', LIMIT.modalTitle),
    close: plain('Close', LIMIT.modalTitle),
    blocks: body.slice(0, LIMIT.modalBlocks),
  };
}

const HOME_GAPS = 5;

/** The managers' Home: the five segments most short of references. */
export function homeGapsBlocks(result: CoverageGaps): KnownBlock[] {
  if (!result.pipelineLoaded) return [];
  const top = result.gaps.slice(0, HOME_GAPS);
  return [
    section(
      `*Coverage gaps* (top ${HOME_GAPS} of ${result.totals.segments.toLocaleString('en-US')} segments with pipeline)\n${
        top.length === 0 ? '_none ranked_' : top.map((gap) => gapText(gap, result)).join('\n')
      }`,
    ),
    context(`All of them: \`${COMMAND} gaps\`.`),
  ];
}
