import { describe, expect, it } from 'vitest';
import { REQUEST_FIELDS as F } from '../../src/slack/ids.ts';
import { Harness } from '../support/harness.ts';
import { openRequestForm, REP, requestAnswers, submitView } from '../support/journey.ts';
import { suggestionIn } from '../support/views.ts';

describe('the request form with a pipeline loaded', () => {
  it("offers the rep's open opportunities by id, name or prospect, and still takes what they typed", async () => {
    // Its own harness: whether a pipeline is loaded is kept a few seconds.
    await Harness.run({}, async (h) => {
      const at = new Date().toISOString();
      const deal = (id: string, owner: string, status: string, name: string) => ({
        opportunity_id: id,
        name,
        account: 'Globex Prospect Inc',
        owner,
        owner_id: owner,
        amount: 250_000,
        currency: 'USD',
        status,
        created_on: at.slice(0, 10),
        created_at: at,
        updated_at: at,
      });
      await h
        .db('opportunities')
        .insert([
          deal('OPP-4711', REP, 'open', 'Globex <expansion>'),
          deal('OPP-4712', REP, 'won', 'Globex won deal'),
          deal('OPP-9000', 'U0OTHERREP', 'open', 'Globex other rep'),
        ]);
      const form = await openRequestForm(h);
      const field = form.blocks.find((b) => b.block_id === F.opportunity.block) as {
        element: { type: string };
      };
      expect(field.element.type).toBe('external_select');

      const typeahead = async (value: string) =>
        (await h.client.interaction(suggestionIn(form, REP, F.opportunity.action, value))).json() as {
          options: { text: { text: string }; value: string }[];
        };
      // Only the rep's open deals; what they typed comes last.
      const globex = await typeahead('globex');
      expect(globex.options.map((o) => o.value)).toEqual(['OPP-4711', 'globex']);
      expect(globex.options[0]!.text.text).toBe(
        'OPP-4711 · Globex <expansion> · Globex Prospect Inc · USD 250K',
      );
      expect((await typeahead('OPP-4711')).options.map((o) => o.value)).toEqual(['OPP-4711']);
      expect((await typeahead('100%_x')).options.map((o) => o.value)).toEqual(['100%_x']);

      const res = await submitView(h, form, REP, requestAnswers(form, { opportunity: 'OPP-4711' }));
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      await h.settled();
      expect(await h.db('reference_requests').first('opportunity')).toEqual({ opportunity: 'OPP-4711' });
    });
  });
});
