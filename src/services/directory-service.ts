import type { Db } from '../store/database';
import type { DirectoryStore } from '../store/directory-store';

/** Managing the directory from Slack: contacts' profiles, edits, pauses, nominations. */
export class DirectoryService {
  constructor(
    private readonly db: Db,
    private readonly directory: DirectoryStore,
  ) {}
}
