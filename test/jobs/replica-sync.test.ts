import { ConsoleLogger, LogLevel } from '@slack/logger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplicaSync } from '../../src/jobs/replica-sync.ts';
import { type Db, openDatabase } from '../../src/store/database.ts';
import { RevisionStore } from '../../src/store/revision-store.ts';
import { openTempDatabase, type TempDatabase } from '../store/temp-database.ts';

const quiet = new ConsoleLogger();
quiet.setLevel(LogLevel.ERROR);

describe('ReplicaSync', () => {
  let temp: TempDatabase;
  /** The other replica's own connection pool to the same database. */
  let other: Db;

  beforeEach(async () => {
    temp = await openTempDatabase();
    other = openDatabase(temp.url);
  });
  afterEach(async () => {
    await other.destroy();
    await temp.close();
  });

  it("tells every replica's listeners when one replica reports the managers changed", async () => {
    const here = new ReplicaSync(temp.db, new RevisionStore(), quiet);
    const there = new ReplicaSync(other, new RevisionStore(), quiet);
    const heard = { here: 0, there: 0 };
    here.onChange('managers', () => heard.here++);
    there.onChange('managers', () => heard.there++);
    await here.poll();
    await there.poll();

    await here.changed('managers');
    expect(heard).toEqual({ here: 1, there: 0 });
    await there.poll();
    expect(heard.there).toBe(1);
    await there.poll();
    expect(heard.there).toBe(1);
  });

  it('drops every cache when the database answers again after it did not', async () => {
    const broken = openDatabase('postgres://nobody@127.0.0.1:1/none');
    const revisions = new RevisionStore();
    let reachable = false;
    const flaky = new ReplicaSync(temp.db, revisions, quiet);
    // The same store, whose database is out of reach until `reachable`.
    Object.assign(revisions, {
      read: (db: Db) => RevisionStore.prototype.read.call(revisions, reachable ? db : broken),
    });
    let reconnects = 0;
    flaky.onReconnect(() => reconnects++);
    try {
      await flaky.poll();
      await flaky.poll();
      expect(reconnects).toBe(0);
      reachable = true;
      await flaky.poll();
      await flaky.poll();
      expect(reconnects).toBe(1);
    } finally {
      await broken.destroy();
    }
  });
});
