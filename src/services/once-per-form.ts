import type { Db } from '../store/database.ts';
import type { FormRef, FormStore } from '../store/form-store.ts';

/**
 * Creates what a submitted form asks for, once: a second delivery of the same submission (same
 * view id) gets what the first created. Runs inside the caller's transaction.
 */
export async function oncePerForm<T extends { id: number }>(
  trx: Db,
  forms: FormStore,
  form: FormRef | null,
  at: string,
  create: () => Promise<T>,
  earlier: (id: number) => Promise<T>,
): Promise<T> {
  if (!form) return create();
  const done = await forms.claim(trx, form, at);
  if (done !== null) return earlier(done);
  const created = await create();
  await forms.settle(trx, form, created.id);
  return created;
}
