import { describe, expect, it } from 'vitest';
import { type DirectoryFacets, LIMITS, validateRequestDraft } from '../../../src/domain/request-draft.ts';
import { ACTIVITY_KEYS, SENIORITY_KEYS } from '../../../src/domain/vocabulary.ts';
import {
  type RequestFormValues,
  type RequestModalOptions,
  requestMetadataSchema,
  requestModal,
} from '../../../src/slack/blocks/request-modal.ts';
import { ACTIONS, REQUEST_FIELDS, VIEWS } from '../../../src/slack/ids.ts';
import { parseJson, parseViewState } from '../../../src/slack/payloads.ts';
import { readRequestForm } from '../../../src/slack/request-form.ts';
import { assertModalWithinLimits, buttons, mrkdwnStrings } from './block-kit-limits.ts';
import { matcherWorst, realisticMatches, worstCandidate, worstMatches } from './match-results.ts';
import {
  rawMarkupIn,
  realisticContact,
  realisticFacets,
  worstContact,
  worstFacets,
  worstRequest,
} from './request-details.ts';

interface Option {
  text: { text: string };
  value: string;
}
interface Block {
  type: string;
  block_id?: string;
}
interface InputBlock extends Block {
  type: 'input';
  block_id: string;
  optional: boolean;
  element: {
    type: string;
    action_id: string;
    options?: Option[];
    max_length?: number;
    initial_option?: Option;
    initial_options?: Option[];
    initial_value?: string;
    initial_date?: string;
  };
}

const asPreferred = (c: typeof realisticContact) => ({
  id: c.id,
  name: c.name,
  title: c.title,
  accountName: c.account.name,
});
const realisticPreferred = asPreferred(realisticContact);
const worstPreferred = asPreferred(worstContact);

const blocksOf = (facets: DirectoryFacets, opts: RequestModalOptions = {}) =>
  requestModal(facets, opts).blocks as unknown as Block[];
const inputsOf = (facets: DirectoryFacets, opts: RequestModalOptions = { preferred: realisticPreferred }) =>
  blocksOf(facets, opts).filter((b): b is InputBlock => b.type === 'input');
const byBlock = (blocks: InputBlock[], block: string) => blocks.find((b) => b.block_id === block);

const realisticValues: RequestFormValues = {
  prospect: 'Globex Corp',
  opportunity: 'OPP-991',
  amount: '250000',
  industry: 'Healthcare',
  products: ['Analytics', 'Billing'],
  region: 'EMEA',
  companySize: 'Enterprise',
  seniority: 'vp',
  activity: 'case_study',
  neededBy: '2026-12-04',
  context: 'They worry about the migration.',
  preferredContactId: '7',
};

const worstValues: RequestFormValues = {
  prospect: worstRequest.prospect,
  opportunity: worstRequest.opportunity,
  amount: String(LIMITS.amount),
  industry: worstFacets.industries[99]!,
  products: worstFacets.products.slice(80, 100),
  region: worstFacets.regions[99]!,
  companySize: worstFacets.companySizes[99]!,
  seniority: 'practitioner',
  activity: 'analyst_briefing',
  neededBy: '2026-12-31',
  context: worstRequest.context,
  preferredContactId: String(worstContact.id),
};

describe('requestModal', () => {
  it('fits Block Kit with a realistic directory', () => {
    assertModalWithinLimits(requestModal(realisticFacets));
    assertModalWithinLimits(requestModal(realisticFacets, { preferred: realisticPreferred }));
    assertModalWithinLimits(
      requestModal(realisticFacets, {
        values: realisticValues,
        preferred: realisticPreferred,
        matches: realisticMatches,
        version: 1,
      }),
    );
  });

  it('fits Block Kit with more than 100 values per facet, each at its limit', () => {
    assertModalWithinLimits(requestModal(worstFacets, { preferred: worstPreferred }));
  });

  it('fits Block Kit and escapes with 5 worst-case matches, worst values and the highest version', () => {
    for (const matches of [worstMatches(5), worstMatches(50), matcherWorst(5)]) {
      const view = requestModal(worstFacets, {
        values: worstValues,
        preferred: worstCandidate(0),
        matches,
        version: 1000,
      });
      assertModalWithinLimits(view);
      expect(rawMarkupIn(mrkdwnStrings(view))).toEqual([]);
      expect(mrkdwnStrings(view).join('\n')).toContain('&lt;!channel&gt;');
    }
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
  });

  it('puts "Find matches", then the matches, between the context and the preferred contact', () => {
    const blocks = blocksOf(realisticFacets, { matches: realisticMatches });
    const at = (id: string) => blocks.findIndex((b) => b.block_id === id);
    const find = at('find_matches');
    expect(find).toBe(at(REQUEST_FIELDS.context.block) + 1);
    expect(blocks[find]).toMatchObject({
      type: 'actions',
      elements: [{ type: 'button', action_id: ACTIONS.findMatches, text: { text: 'Find matches' } }],
    });
    expect(at(REQUEST_FIELDS.preferredContactId.block)).toBe(blocks.length - 1);
    const between = blocks.slice(find + 1, -1);
    // The title, then one section per match.
    expect(between.map((b) => b.type)).toEqual(['section', 'section', 'section', 'section']);
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
    const blocks = inputsOf(worstFacets, { preferred: worstPreferred });
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

  it('keeps what the rep filled in, so finding matches loses nothing', () => {
    const blocks = inputsOf(realisticFacets, { values: realisticValues });
    const el = (field: keyof typeof REQUEST_FIELDS) => byBlock(blocks, REQUEST_FIELDS[field].block)!.element;
    expect(el('prospect').initial_value).toBe('Globex Corp');
    expect(el('opportunity').initial_value).toBe('OPP-991');
    expect(el('amount').initial_value).toBe('250000');
    expect(el('industry').initial_option?.value).toBe('Healthcare');
    expect(el('products').initial_options?.map((o) => o.value)).toEqual(['Analytics', 'Billing']);
    expect(el('region').initial_option?.value).toBe('EMEA');
    expect(el('companySize').initial_option?.value).toBe('Enterprise');
    expect(el('seniority').initial_option?.value).toBe('vp');
    expect(el('activity').initial_option?.value).toBe('case_study');
    expect(el('neededBy').initial_date).toBe('2026-12-04');
    expect(el('context').initial_value).toBe('They worry about the migration.');
  });

  it('reads back as the same values (round trip through the view state)', () => {
    const blocks = inputsOf(realisticFacets, { values: realisticValues, preferred: realisticPreferred });
    const state: Record<string, Record<string, unknown>> = {};
    for (const b of blocks) {
      const e = b.element;
      state[b.block_id] = {
        [e.action_id]: {
          type: e.type,
          value: e.initial_value ?? null,
          selected_option: e.initial_option ?? null,
          selected_options: e.initial_options ?? null,
          selected_date: e.initial_date ?? null,
        },
      };
    }
    expect(readRequestForm(parseViewState(state))).toEqual(realisticValues);
  });

  it('selects nothing for values the directory does not offer', () => {
    const blocks = inputsOf(realisticFacets, {
      values: { industry: 'Retail', products: ['Payroll'], seniority: 'intern', activity: 'juggling' },
    });
    const el = (field: keyof typeof REQUEST_FIELDS) => byBlock(blocks, REQUEST_FIELDS[field].block)!.element;
    expect(el('industry').initial_option).toBeUndefined();
    expect(el('products').initial_options).toBeUndefined();
    expect(el('seniority').initial_option).toBeUndefined();
    expect(el('activity').initial_option).toBeUndefined();
  });

  it('pre-selects the preferred contact when given, as "Name, Account · Title"', () => {
    const contact = byBlock(inputsOf(realisticFacets), REQUEST_FIELDS.preferredContactId.block)!;
    expect(contact.element.initial_option).toEqual({
      value: '7',
      text: { type: 'plain_text', text: 'Jane Doe, Acme Health · CFO', emoji: true },
    });
    const none = byBlock(inputsOf(realisticFacets, {}), REQUEST_FIELDS.preferredContactId.block)!;
    expect(none.element.initial_option).toBeUndefined();
    const nulled = byBlock(
      inputsOf(realisticFacets, { preferred: null }),
      REQUEST_FIELDS.preferredContactId.block,
    )!;
    expect(nulled.element.initial_option).toBeUndefined();
  });

  it('versions the preferred-contact block and remembers the version in metadata and the button', () => {
    const view = requestModal(realisticFacets, { preferred: realisticPreferred, version: 4 });
    const blocks = view.blocks as unknown as Block[];
    expect(blocks.at(-1)!.block_id).toBe(`${REQUEST_FIELDS.preferredContactId.block}~4`);
    expect(parseJson(requestMetadataSchema, view.private_metadata)).toEqual({ v: 4 });
    const [find] = buttons(view);
    expect(JSON.parse(find!.value)).toEqual({ v: 4 });
  });

  it('shows the top 5 matches, each with a Choose button naming the contact', () => {
    const view = requestModal(realisticFacets, { matches: worstMatches(8) });
    const choose = buttons(view).filter((b) => b.action_id === ACTIONS.chooseMatch);
    expect(choose.map((b) => [b.text, JSON.parse(b.value)])).toEqual(
      [0, 1, 2, 3, 4].map((i) => ['Choose', { contactId: 999_999_900 + i }]),
    );
    const text = mrkdwnStrings(view).join('\n');
    expect(text).toContain('*Top matches for these criteria*');
    expect(text).toContain('5. *NAME4');
    expect(text).not.toContain('6. *NAME5');
  });

  it('says so when no contact fits yet', () => {
    const view = requestModal(realisticFacets, {
      matches: {
        suggestions: [],
        relaxed: { filter: 'activity', message: 'No active contact has agreed to a site visit yet.' },
        unmet: [],
        eligibleCount: 0,
      },
    });
    const text = mrkdwnStrings(view).join('\n');
    expect(text).toContain(':mag: No active contact has agreed to a site visit yet.');
    expect(text).not.toContain('The nearest matches');
    expect(text).toContain('_No contact fits yet._');
    expect(buttons(view).filter((b) => b.action_id === ACTIONS.chooseMatch)).toEqual([]);
  });

  it('is the request view with version 0 in its metadata', () => {
    const view = requestModal(realisticFacets);
    expect(view.callback_id).toBe(VIEWS.request);
    expect(view.private_metadata).toBe('{"v":0}');
    expect(view.title.text).toBe('Request a reference');
  });
});
