import type { Db } from './database.ts';

const DIGESTS = 'weekly_digests';

/** Which weekly digests were queued. */
export class DigestStore {
  /** Records the digest of `sentOn`; false when it was recorded before (another replica, an earlier run). */
  async claim(db: Db, sentOn: string, at: string): Promise<boolean> {
    const inserted = (await db(DIGESTS)
      .insert({ sent_on: sentOn, queued_at: at })
      .onConflict('sent_on')
      .ignore()
      .returning('sent_on')) as unknown[];
    return inserted.length === 1;
  }
}
