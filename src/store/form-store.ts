import type { Db } from './database.ts';

const FORMS = 'form_submissions';

/** A modal that creates a row, by Slack's view id (the same for every delivery of one submission). */
export interface FormRef {
  viewId: string;
  kind: 'request' | 'nomination' | 'contact';
}

export class FormStore {
  /**
   * Claims the form for this transaction: null when it is the first delivery, else the id of the
   * row the first one created. A concurrent first delivery makes this wait until it commits.
   */
  async claim(db: Db, form: FormRef, at: string): Promise<number | null> {
    const inserted = await db(FORMS)
      .insert({ view_id: form.viewId, kind: form.kind, created_at: at })
      .onConflict('view_id')
      .ignore()
      .returning('view_id');
    if (inserted.length === 1) return null;
    const row = (await db(FORMS).where({ view_id: form.viewId }).first()) as { result_id: number | null };
    return row.result_id;
  }

  async settle(db: Db, form: FormRef, resultId: number): Promise<void> {
    await db(FORMS).where({ view_id: form.viewId }).update({ result_id: resultId });
  }
}
