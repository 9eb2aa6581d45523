import { describe, expect, it } from 'vitest';
import { type DirectoryFacets, LIMITS, validateRequestDraft } from '../../../src/domain/request-draft';
import { ACTIVITY_KEYS, SENIORITY_KEYS } from '../../../src/domain/vocabulary';
import { requestModal } from '../../../src/slack/blocks/request-modal';
import { REQUEST_FIELDS, VIEWS } from '../../../src/slack/ids';
import { assertModalWithinLimits } from './block-kit-limits';
import { realisticContact, realisticFacets, worstContact, worstFacets } from './request-details';

interface Option {
  text: { text: string };
  value: string;
}
interface InputBlock {
  type: 'input';
  block_id: string;
  optional: boolean;
  element: {
    type: string;
    action_id: string;
    options?: Option[];
    max_length?: number;
    initial_option?: Option;
  };
}

const inputsOf = (facets: DirectoryFacets, preferred = realisticContact) =>
  requestModal(facets, preferred).blocks as unknown as InputBlock[];
const byBlock = (blocks: InputBlock[], block: string) => blocks.find((b) => b.block_id === block);

describe('requestModal', () => {
  it('fits Block Kit with a realistic directory', () => {
    assertModalWithinLimits(requestModal(realisticFacets));
    assertModalWithinLimits(requestModal(realisticFacets, realisticContact));
  });

  it('fits Block Kit with more than 100 values per facet, each at its limit', () => {
    assertModalWithinLimits(requestModal(worstFacets, worstContact));
  });

  it('fits Block Kit with an empty directory, leaving the facet selects out', () => {
    const empty = { industries: [], products: [], regions: [], companySizes: [] };
    const view = requestModal(empty);
    assertModalWithinLimits(view);
    const ids = (view.blocks as unknown as InputBlock[]).map((b) => b.block_id);
    for (const field of ['industry', 'products', 'region', 'companySize'] as const) {
      expect(ids).not.toContain(REQUEST_FIELDS[field].block);
    }
  });

  it('has one input per field, in order, with the shared ids', () => {
    const blocks = inputsOf(realisticFacets);
    expect(blocks.map((b) => [b.block_id, b.element.action_id])).toEqual(
      Object.values(REQUEST_FIELDS).map((f) => [f.block, f.action]),
    );
    expect(blocks.every((b) => b.type === 'input')).toBe(true);
  });

  it('requires exactly prospect, activity, date and context', () => {
    const required = inputsOf(realisticFacets)
      .filter((b) => !b.optional)
      .map((b) => b.block_id);
    expect(required).toEqual([
      REQUEST_FIELDS.prospect.block,
      REQUEST_FIELDS.activity.block,
      REQUEST_FIELDS.neededBy.block,
      REQUEST_FIELDS.context.block,
    ]);
  });

  it('limits the text inputs to what validation accepts', () => {
    const blocks = inputsOf(realisticFacets);
    expect(byBlock(blocks, REQUEST_FIELDS.prospect.block)!.element.max_length).toBe(LIMITS.prospect);
    expect(byBlock(blocks, REQUEST_FIELDS.opportunity.block)!.element.max_length).toBe(LIMITS.opportunity);
    expect(byBlock(blocks, REQUEST_FIELDS.context.block)!.element.max_length).toBe(LIMITS.context);
  });

  it('offers every activity and seniority', () => {
    const blocks = inputsOf(realisticFacets);
    const values = (block: string) => byBlock(blocks, block)!.element.options!.map((o) => o.value);
    expect(values(REQUEST_FIELDS.activity.block)).toEqual(ACTIVITY_KEYS);
    expect(values(REQUEST_FIELDS.seniority.block)).toEqual(SENIORITY_KEYS);
  });

  it('offers the directory values, capped at 100, and only values validation accepts', () => {
    const blocks = inputsOf(worstFacets, worstContact);
    const fields = [
      ['industry', worstFacets.industries],
      ['products', worstFacets.products],
      ['region', worstFacets.regions],
      ['companySize', worstFacets.companySizes],
    ] as const;
    for (const [field, values] of fields) {
      const select = byBlock(blocks, REQUEST_FIELDS[field].block)!;
      expect(select.element.type).toBe(field === 'products' ? 'multi_static_select' : 'static_select');
      const offered = select.element.options!.map((o) => o.value);
      expect(offered).toEqual(values.slice(0, 100));
      // Picking any offered value passes the facet check.
      const picked = field === 'products' ? { products: [offered[99]!] } : { [field]: offered[99] };
      const result = validateRequestDraft(
        { prospect: 'Globex', activity: 'quote', neededBy: '2026-12-01', context: 'x', ...picked },
        '2026-11-22',
        worstFacets,
      );
      expect(result.ok).toBe(true);
    }
  });

  it('pre-selects the preferred contact when given', () => {
    const contact = byBlock(inputsOf(realisticFacets), REQUEST_FIELDS.preferredContactId.block)!;
    expect(contact.element.initial_option).toMatchObject({
      value: '7',
      text: { text: 'Jane Doe, Acme Health' },
    });
    const none = byBlock(
      requestModal(realisticFacets).blocks as unknown as InputBlock[],
      REQUEST_FIELDS.preferredContactId.block,
    )!;
    expect(none.element.initial_option).toBeUndefined();
  });

  it('is the request view with empty metadata', () => {
    const view = requestModal(realisticFacets);
    expect(view.callback_id).toBe(VIEWS.request);
    expect(view.private_metadata).toBe('{}');
    expect(view.title.text).toBe('Request a reference');
  });
});
