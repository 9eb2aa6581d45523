import { chunks } from './directory-store.ts';

/**
 * `read` run over `values` a chunk at a time, the rows put together: one statement per chunk keeps
 * within SQLite's limit on bound parameters (999 in older builds) however many values there are.
 */
export async function readInChunks<V, Row>(
  values: readonly V[],
  read: (part: V[]) => Promise<Row[]>,
  size?: number,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const part of chunks([...new Set(values)], size)) rows.push(...(await read(part)));
  return rows;
}
