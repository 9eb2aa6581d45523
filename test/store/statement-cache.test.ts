import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/store/database.ts';

describe('prepared statements kept per SQLite connection', () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'refdesk-statements-'));
    db = openDatabase(`sqlite:${join(dir, 'db.sqlite')}`);
    await db.schema.createTable('things', (t) => {
      t.increments('id');
      t.string('name');
    });
    await db('things').insert([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds each run its own values', async () => {
    const names = [];
    for (const id of [3, 1, 2])
      names.push(((await db('things').where({ id }).first()) as { name: string }).name);
    expect(names).toEqual(['c', 'a', 'b']);
  });

  it('sees a schema change made after the statement was first prepared', async () => {
    expect(Object.keys((await db('things').first()) as object)).toEqual(['id', 'name']);
    await db.schema.alterTable('things', (t) => t.string('colour').defaultTo('red'));
    expect(await db('things').first()).toEqual({ id: 1, name: 'a', colour: 'red' });
  });

  it('keeps working past the cache size, in and out of transactions', async () => {
    for (let i = 0; i < 600; i++)
      await db('things')
        .where('id', '<', 10)
        .limit(i + 1);
    await db.transaction(async (trx) => {
      await trx('things').where({ id: 1 }).update({ name: 'z' });
    });
    expect(await db('things').orderBy('id').pluck('name')).toEqual(['z', 'b', 'c']);
  });
});
