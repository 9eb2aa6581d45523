import type { CoverageGap, CoverageGaps } from '../domain/gaps.ts';
import { SENIORITY_KEYS } from '../domain/vocabulary.ts';
import { type CsvValue, csvText } from './csv-cells.ts';
import type { GapsService } from './gaps-service.ts';

const SENIORITY_COLUMNS = SENIORITY_KEYS.map((key) => `contacts_${key}` as const);

export const GAPS_EXPORT_COLUMNS = [
  'rank',
  'segment',
  'industry',
  'product',
  'region',
  'company_size',
  'up_and_coming',
  'currency',
  'open_amount',
  'open_deals',
  'deals_created_last_90_days',
  'deals_created_90_days_before',
  'asks_last_90_days',
  'unmet_last_90_days',
  'unmet_no_eligible_contact',
  'unmet_no_suitable_reference',
  'unmet_all_owners_declined',
  'unmet_expired',
  'active_contacts',
  'contacts_with_capacity',
  'asks_they_can_take',
  ...SENIORITY_COLUMNS,
  'shortage',
] as const;
type Column = (typeof GAPS_EXPORT_COLUMNS)[number];

/** Every segment that carries real pipeline (not only the top ones). */
const ALL = Number.MAX_SAFE_INTEGER;

function gapRow(gap: CoverageGap, gaps: CoverageGaps): Partial<Record<Column, CsvValue>> {
  const { pipeline, demand, supply, segment } = gap;
  const row: Partial<Record<Column, CsvValue>> = {
    rank: gap.rank,
    segment: gap.label,
    industry: segment.industry,
    product: segment.product,
    region: segment.region,
    company_size: segment.companySize,
    up_and_coming: gap.upAndComing,
    currency: gaps.currency,
    open_amount: pipeline.openAmount,
    open_deals: pipeline.openCount,
    deals_created_last_90_days: pipeline.createdRecently,
    deals_created_90_days_before: pipeline.createdBefore,
    asks_last_90_days: demand.asks,
    unmet_last_90_days: demand.unmet,
    unmet_no_eligible_contact: demand.unmetByReason.no_match,
    unmet_no_suitable_reference: demand.unmetByReason.no_suitable_reference,
    unmet_all_owners_declined: demand.unmetByReason.all_declined,
    unmet_expired: demand.unmetByReason.expired,
    active_contacts: supply.contacts,
    contacts_with_capacity: supply.contactsWithCapacity,
    asks_they_can_take: supply.capacityLeft,
    shortage: Math.round(gap.shortage * 100) / 100,
  };
  for (const key of SENIORITY_KEYS) row[`contacts_${key}`] = supply.bySeniority[key];
  return row;
}

/** `export gaps`: the coverage gaps as CSV, one row per segment that carries real pipeline, most short first. */
export class GapsExport {
  constructor(private readonly gaps: GapsService) {}

  async writeCsv(write: (chunk: string) => Promise<void>): Promise<number> {
    const gaps = await this.gaps.programGaps(undefined, ALL);
    const rows = gaps.gaps.map((gap) => gapRow(gap, gaps));
    await write(csvText(rows, GAPS_EXPORT_COLUMNS, true));
    return rows.length;
  }
}
