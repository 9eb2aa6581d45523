import type { ContactUsage } from '../domain/program-rules.ts';
import type { Db } from './database.ts';

/** How one contact was used lately, read inside the deciding transaction (exact, unlike the index). */
export class UsageStore {
  async contactUsage(
    db: Db,
    contact: { id: number; accountId: number },
    windowStart: string,
    today: string,
  ): Promise<ContactUsage> {
    // One after another: inside a transaction the queries share one connection (pg refuses overlapping ones).
    const own = (await db('reference_asks')
      .where({ contact_id: contact.id })
      .where('approved_at', '>=', windowStart)
      .count({ n: '*' })
      .max({ last: 'approved_at' })
      .first()) as { n: number | string; last: string | null } | undefined;
    const open = (await db('reference_requests as r')
      .join('reference_asks as k', 'k.id', 'r.current_ask_id')
      .where('k.contact_id', contact.id)
      .where((w) =>
        w
          .where('r.status', 'awaiting_owner')
          .orWhere((a) => a.where('r.status', 'agreed').where('r.needed_by', '>=', today)),
      )
      .count({ n: '*' })
      .first()) as { n: number | string } | undefined;
    const account = (await db('reference_asks as k')
      .join('contacts as c', 'c.id', 'k.contact_id')
      .where('c.account_id', contact.accountId)
      .where('k.approved_at', '>=', windowStart)
      .count({ n: '*' })
      .first()) as { n: number | string } | undefined;
    return {
      asksInWindow: Number(own?.n ?? 0),
      lastAskedAt: own?.last ?? null,
      openAsks: Number(open?.n ?? 0),
      accountAsksInWindow: Number(account?.n ?? 0),
    };
  }
}
