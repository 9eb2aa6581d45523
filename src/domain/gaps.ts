import { subDays } from 'date-fns';
import type { ProgramRules } from './program-rules.ts';
import {
  ACTIVITY_KEYS,
  type Activity,
  NO_SUITABLE_REFERENCE,
  SENIORITY_KEYS,
  type Seniority,
} from './vocabulary.ts';

/**
 * Coverage gaps: the segments of the open pipeline (industry, product, region, company size and their pairs
 * and triples) held against the references that could serve them. The store counts at the finest grain; the
 * functions here roll those counts up to segments and rank them, so they are tested as data.
 */

/** Demand (asks, unmet asks) and pipeline growth look back this many days. */
export const GAP_WINDOW_DAYS = 90;
/** A segment carries real pipeline with at least this many open opportunities... */
export const MIN_OPEN_OPPORTUNITIES = 2;
/** ...and at least this share of the open pipeline's amount. */
export const MIN_PIPELINE_SHARE = 0.01;
/** Up-and-coming: pipeline created in the last 90 days is up by at least this share on the 90 days before. */
export const UP_AND_COMING_RISE = 0.5;
/** ...and at least this many opportunities were created in the last 90 days (so 1 after 0 is no trend). */
export const UP_AND_COMING_MIN_CREATED = 2;
/** How many gaps the service returns unless told otherwise. */
export const DEFAULT_TOP_GAPS = 20;

/** True for a deny reason that says no suitable reference exists (case and surrounding spaces ignored). */
export function isNoSuitableReference(reason: string | null): boolean {
  const said = reason?.trim().toLowerCase() ?? '';
  const key = NO_SUITABLE_REFERENCE.toLowerCase();
  return said === key || said.startsWith(`${key}:`);
}

export const GAP_DIMENSIONS = ['industry', 'product', 'region', 'companySize'] as const;
export type GapDimension = (typeof GAP_DIMENSIONS)[number];

/** A segment: the values of 1 to 3 dimensions (the others absent: any). */
export type GapSegment = Partial<Record<GapDimension, string>>;

/**
 * Why an ask went unmet, one reason per request, the first that applies: its card found no eligible contact;
 * a manager denied it as "No suitable reference"; every owner asked declined (or could not ask); it expired.
 */
export const UNMET_REASONS = ['no_match', 'no_suitable_reference', 'all_declined', 'expired'] as const;
export type UnmetReason = (typeof UNMET_REASONS)[number];
export type UnmetCounts = Record<UnmetReason, number>;

/** The finest grain the store counts at. `product` null: each entity counted once, not split by product. */
export interface GapGrain {
  industry: string | null;
  region: string | null;
  companySize: string | null;
  product: string | null;
}

/** Opportunities (not removed) of one grain. Dates of creation compare as YYYY-MM-DD. */
export interface PipelineFact extends GapGrain {
  openCount: number;
  openAmount: number;
  /** Created (any status) in the last 90 days, and in the 90 days before. */
  createdRecently: number;
  createdBefore: number;
}

/** Requests submitted in the last 90 days of one grain, and of one unmet reason (null: not unmet). */
export interface DemandFact extends GapGrain {
  unmetReason: UnmetReason | null;
  asks: number;
}

/** Active contacts of one grain (their account's segment). */
export interface SupplyFact extends GapGrain {
  contacts: number;
  /** Asks these contacts can still take (see `capacityLeft`), summed. */
  capacityLeft: number;
  /** Contacts with at least one ask left. */
  contactsWithCapacity: number;
  /** Contacts per seniority (those with none recorded, or one not in the vocabulary, are left out). */
  bySeniority: Partial<Record<Seniority, number>>;
  /** Contacts who agreed to each activity. */
  byActivity: Partial<Record<Activity, number>>;
}

/** What the store counted. */
export interface GapFacts {
  /** Whether any opportunity (not removed) is loaded at all. */
  pipelineLoaded: boolean;
  /** The pipeline's currency (an import refuses mixed currencies); null with no pipeline. */
  currency: string | null;
  pipeline: PipelineFact[];
  demand: DemandFact[];
  supply: SupplyFact[];
}

export interface GapPipeline {
  openAmount: number;
  openCount: number;
  createdRecently: number;
  createdBefore: number;
}

export interface GapDemand {
  /** Requests submitted in the last 90 days matching the segment. */
  asks: number;
  /** Of those, the unmet ones, and why. */
  unmet: number;
  unmetByReason: UnmetCounts;
}

export interface GapSupply {
  /** Active contacts whose account is in the segment. */
  contacts: number;
  contactsWithCapacity: number;
  capacityLeft: number;
  /** Contacts per seniority (those with none recorded are in `contacts` only). */
  bySeniority: Record<Seniority, number>;
  /** Whether any of them is C-level or VP. */
  hasExecutive: boolean;
  /** Contacts who agreed to each activity. */
  byActivity: Record<Activity, number>;
}

/** One segment with real pipeline, held against its supply. */
export interface CoverageGap {
  /** 1 for the top of the ranking. */
  rank: number;
  segment: GapSegment;
  /** Its values in dimension order (industry, product, region, company size), plain text: "Healthcare · Analytics · EMEA". */
  label: string;
  dimensions: number;
  pipeline: GapPipeline;
  demand: GapDemand;
  supply: GapSupply;
  upAndComing: boolean;
  /** The ranking's score (see `shortageScore`). */
  shortage: number;
}

export interface GapTotals {
  pipeline: GapPipeline;
  demand: GapDemand;
  supply: GapSupply;
  /** Segments that carry real pipeline (all ranked, before the top N was taken), and how many are up-and-coming. */
  segments: number;
  upAndComingSegments: number;
}

export interface CoverageGaps {
  /** False: no pipeline imported (or all of it removed); the gaps are then empty. */
  pipelineLoaded: boolean;
  currency: string | null;
  /** When computed (ISO), and the days demand and growth look back over. */
  asOf: string;
  windowDays: number;
  thresholds: { minOpenOpportunities: number; minPipelineShare: number };
  totals: GapTotals;
  /** The top segments by shortage, most short first. */
  gaps: CoverageGap[];
}

/** The moments the store counts from, all in UTC. */
export interface GapWindow {
  /** Requests submitted at or after this instant (ISO) are the last 90 days' asks. */
  asksSince: string;
  /** Asks approved at or after this instant (ISO) count against a contact's limit. */
  rulesSince: string;
  /** Opportunities created after `recentAfter` up to `today` (YYYY-MM-DD) are the last 90 days' pipeline... */
  today: string;
  recentAfter: string;
  /** ...and those created after `previousAfter` up to `recentAfter` the 90 days before. */
  previousAfter: string;
}

export function gapWindow(now: Date, rules: ProgramRules): GapWindow {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return {
    asksSince: subDays(now, GAP_WINDOW_DAYS).toISOString(),
    rulesSince: subDays(now, rules.windowDays).toISOString(),
    today: day(now),
    recentAfter: day(subDays(now, GAP_WINDOW_DAYS)),
    previousAfter: day(subDays(now, 2 * GAP_WINDOW_DAYS)),
  };
}

/**
 * Asks a contact can still take: the per-contact limit less the asks approved in the last `windowDays`.
 * A simplification: the rolling window frees asks as they age over the next 90 days, but this counts what is
 * free now, and leaves out the gap between asks, open asks and the account cap.
 */
export const capacityLeft = (asksInWindow: number, rules: ProgramRules): number =>
  Math.max(0, rules.maxAsksPerContact - asksInWindow);

/** Real pipeline: enough open opportunities and enough of the open amount. */
export const carriesPipeline = (openCount: number, openAmount: number, totalOpenAmount: number): boolean =>
  openCount >= MIN_OPEN_OPPORTUNITIES && openAmount >= MIN_PIPELINE_SHARE * totalOpenAmount;

/**
 * Up-and-coming: at least 2 opportunities created in the last 90 days, and at least half as many again as in
 * the 90 days before (so a segment new this quarter counts once it has 2).
 */
export const isUpAndComing = (createdRecently: number, createdBefore: number): boolean =>
  createdRecently >= UP_AND_COMING_MIN_CREATED && createdRecently >= (1 + UP_AND_COMING_RISE) * createdBefore;

/**
 * Shortage: the open amount the segment puts at stake, raised by each unmet ask and lowered by each ask its
 * references can still take: openAmount × (1 + unmet) / (1 + capacityLeft).
 */
export const shortageScore = (openAmount: number, unmet: number, capacity: number): number =>
  (openAmount * (1 + unmet)) / (1 + capacity);

/** The segment's values in dimension order, " · " between them. */
export const segmentLabel = (segment: GapSegment): string =>
  GAP_DIMENSIONS.flatMap((d) => (segment[d] === undefined ? [] : [segment[d]])).join(' · ');

export const segmentDimensions = (segment: GapSegment): number =>
  GAP_DIMENSIONS.filter((d) => segment[d] !== undefined).length;

/** Most short first; ties by open amount, then fewer dimensions, then label. */
export function compareGaps(
  a: Pick<CoverageGap, 'shortage' | 'pipeline' | 'dimensions' | 'label'>,
  b: Pick<CoverageGap, 'shortage' | 'pipeline' | 'dimensions' | 'label'>,
): number {
  return (
    b.shortage - a.shortage ||
    b.pipeline.openAmount - a.pipeline.openAmount ||
    a.dimensions - b.dimensions ||
    a.label.localeCompare(b.label)
  );
}

const present = (value: string | null): value is string => value !== null && value.trim() !== '';

/**
 * The segments a grain row counts in: every choice of 1-3 of its known dimensions, with the product among them
 * for a product row and without it otherwise, so an entity with 2 products counts once per product in product
 * segments and once in the others.
 */
export function segmentsOfGrain(grain: GapGrain): GapSegment[] {
  const known: [GapDimension, string][] = [];
  if (present(grain.industry)) known.push(['industry', grain.industry]);
  if (present(grain.region)) known.push(['region', grain.region]);
  if (present(grain.companySize)) known.push(['companySize', grain.companySize]);
  const byProduct = grain.product !== null;
  if (byProduct && !present(grain.product)) return [];
  const segments: GapSegment[] = [];
  // Subsets of the non-product dimensions: all but the full set of 3 when the product is added (4 dims).
  for (let mask = 0; mask < 1 << known.length; mask++) {
    const picked = known.filter((_, i) => mask & (1 << i));
    const size = picked.length + (byProduct ? 1 : 0);
    if (size < 1 || size > 3) continue;
    const segment: GapSegment = Object.fromEntries(picked);
    if (byProduct) segment.product = grain.product!;
    segments.push(segment);
  }
  return segments;
}

/** A grain's segments with their keys, worked out once per grain (many rows share one: seniorities, reasons). */
const keyedSegments = new Map<string, { key: string; segment: GapSegment }[]>();
function segmentsWithKeys(grain: GapGrain): { key: string; segment: GapSegment }[] {
  const id = JSON.stringify([grain.industry, grain.region, grain.companySize, grain.product]);
  let keyed = keyedSegments.get(id);
  if (!keyed) {
    keyed = segmentsOfGrain(grain).map((segment) => ({ key: segmentKey(segment), segment }));
    // A bound on the cache: grains come from a few vocabularies, but never grow without limit.
    if (keyedSegments.size > 100_000) keyedSegments.clear();
    keyedSegments.set(id, keyed);
  }
  return keyed;
}

const segmentKey = (s: GapSegment): string => JSON.stringify(GAP_DIMENSIONS.map((d) => s[d] ?? null));

const noUnmet = (): UnmetCounts => ({ no_match: 0, no_suitable_reference: 0, all_declined: 0, expired: 0 });
const emptyPipeline = (): GapPipeline => ({
  openAmount: 0,
  openCount: 0,
  createdRecently: 0,
  createdBefore: 0,
});
const emptyDemand = (): GapDemand => ({ asks: 0, unmet: 0, unmetByReason: noUnmet() });
const emptySupply = (): GapSupply => ({
  contacts: 0,
  contactsWithCapacity: 0,
  capacityLeft: 0,
  bySeniority: Object.fromEntries(SENIORITY_KEYS.map((s) => [s, 0])) as Record<Seniority, number>,
  hasExecutive: false,
  byActivity: Object.fromEntries(ACTIVITY_KEYS.map((a) => [a, 0])) as Record<Activity, number>,
});

function addPipeline(to: GapPipeline, f: PipelineFact): void {
  to.openAmount += f.openAmount;
  to.openCount += f.openCount;
  to.createdRecently += f.createdRecently;
  to.createdBefore += f.createdBefore;
}

function addDemand(to: GapDemand, f: DemandFact): void {
  to.asks += f.asks;
  if (f.unmetReason === null) return;
  to.unmet += f.asks;
  to.unmetByReason[f.unmetReason] += f.asks;
}

function addSupply(to: GapSupply, f: SupplyFact): void {
  to.contacts += f.contacts;
  to.contactsWithCapacity += f.contactsWithCapacity;
  to.capacityLeft += f.capacityLeft;
  for (const seniority of SENIORITY_KEYS) to.bySeniority[seniority] += f.bySeniority[seniority] ?? 0;
  for (const activity of ACTIVITY_KEYS) to.byActivity[activity] += f.byActivity[activity] ?? 0;
  to.hasExecutive ||= to.bySeniority.c_level > 0 || to.bySeniority.vp > 0;
}

/** Adds each fact to every segment of its grain (and, for rows not split by product, to the totals). */
function rollUp<F extends GapGrain, T>(
  facts: readonly F[],
  segments: Map<string, T>,
  make: () => T,
  add: (to: T, fact: F) => void,
  total: T,
  only?: ReadonlySet<string>,
): void {
  for (const fact of facts) {
    if (fact.product === null) add(total, fact);
    for (const { key } of segmentsWithKeys(fact)) {
      if (only && !only.has(key)) continue;
      let into = segments.get(key);
      if (!into) {
        into = make();
        segments.set(key, into);
      }
      add(into, fact);
    }
  }
}

/**
 * The segments left once echoes are dropped. A segment whose every figure equals that of a narrower one holds
 * the same deals, asks and contacts (e.g. Retail when all of its are in APAC, beside Retail · APAC); so do
 * segments linked through such pairs (Retail · APAC and Retail · Payroll, both equal to Retail). Of each such
 * family one is kept: the one with the most dimensions (it says the most), naming the industry first.
 */
function withoutEchoes(
  keys: ReadonlySet<string>,
  segmentOf: ReadonlyMap<string, GapSegment>,
  ...figures: ReadonlyMap<string, unknown>[]
): Set<string> {
  const signature = new Map(
    [...keys].map((key) => [key, JSON.stringify(figures.map((m) => m.get(key) ?? null))]),
  );
  const family = new Map<string, string>();
  const root = (key: string): string => {
    const up = family.get(key);
    return up === undefined || up === key ? key : root(up);
  };
  for (const key of keys) {
    const segment = segmentOf.get(key)!;
    const own = signature.get(key);
    const dims = GAP_DIMENSIONS.filter((d) => segment[d] !== undefined);
    // Each proper, non-empty subset of its dimensions is a broader segment that holds it.
    for (let mask = 1; mask < (1 << dims.length) - 1; mask++) {
      const broader = segmentKey(
        Object.fromEntries(dims.filter((_, i) => mask & (1 << i)).map((d) => [d, segment[d]])),
      );
      if (signature.get(broader) === own) family.set(root(broader), root(key));
    }
  }
  const kept = new Map<string, string>();
  // Most dimensions first; among as many, the ones that name the industry, then the product, and so on.
  const weight = (key: string) =>
    GAP_DIMENSIONS.reduce((w, d, i) => w + (segmentOf.get(key)![d] === undefined ? 0 : 16 + 2 ** (3 - i)), 0);
  for (const key of keys) {
    const head = root(key);
    const best = kept.get(head);
    if (best === undefined || weight(key) > weight(best)) kept.set(head, key);
  }
  return new Set(kept.values());
}

/**
 * The coverage gaps from the store's counts: segments that carry real pipeline, each with its demand and
 * supply, ranked by shortage; the top `top` of them, and the totals.
 */
export function buildGaps(facts: GapFacts, now: Date, top = DEFAULT_TOP_GAPS): CoverageGaps {
  const pipelineTotal = emptyPipeline();
  const pipelines = new Map<string, GapPipeline>();
  const segmentOf = new Map<string, GapSegment>();
  for (const fact of facts.pipeline) {
    if (fact.product === null) addPipeline(pipelineTotal, fact);
    for (const { key, segment } of segmentsWithKeys(fact)) {
      let into = pipelines.get(key);
      if (!into) {
        into = emptyPipeline();
        pipelines.set(key, into);
        segmentOf.set(key, segment);
      }
      addPipeline(into, fact);
    }
  }
  const real = new Set(
    [...pipelines]
      .filter(([, p]) => carriesPipeline(p.openCount, p.openAmount, pipelineTotal.openAmount))
      .map(([k]) => k),
  );

  const demandTotal = emptyDemand();
  const demands = new Map<string, GapDemand>();
  rollUp(facts.demand, demands, emptyDemand, addDemand, demandTotal, real);
  const supplyTotal = emptySupply();
  const supplies = new Map<string, GapSupply>();
  rollUp(facts.supply, supplies, emptySupply, addSupply, supplyTotal, real);

  const ranked = [...withoutEchoes(real, segmentOf, pipelines, demands, supplies)]
    .map((key): Omit<CoverageGap, 'rank'> => {
      const segment = { ...segmentOf.get(key)! };
      const pipeline = pipelines.get(key)!;
      const demand = demands.get(key) ?? emptyDemand();
      const supply = supplies.get(key) ?? emptySupply();
      return {
        segment,
        label: segmentLabel(segment),
        dimensions: segmentDimensions(segment),
        pipeline,
        demand,
        supply,
        upAndComing: isUpAndComing(pipeline.createdRecently, pipeline.createdBefore),
        shortage: shortageScore(pipeline.openAmount, demand.unmet, supply.capacityLeft),
      };
    })
    .sort(compareGaps);

  return {
    pipelineLoaded: facts.pipelineLoaded,
    currency: facts.currency,
    asOf: now.toISOString(),
    windowDays: GAP_WINDOW_DAYS,
    thresholds: { minOpenOpportunities: MIN_OPEN_OPPORTUNITIES, minPipelineShare: MIN_PIPELINE_SHARE },
    totals: {
      pipeline: pipelineTotal,
      demand: demandTotal,
      supply: supplyTotal,
      segments: ranked.length,
      upAndComingSegments: ranked.filter((g) => g.upAndComing).length,
    },
    gaps: ranked.slice(0, Math.max(0, top)).map((gap, i) => ({ rank: i + 1, ...gap })),
  };
}
