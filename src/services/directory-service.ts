import type { ContactProfile } from '../domain/reference';
import type { Db } from '../store/database';
import type { DirectoryStore } from '../store/directory-store';

/** Read access to the directory for the Slack surfaces. */
export class DirectoryService {
  constructor(
    private readonly db: Db,
    private readonly directory: DirectoryStore,
  ) {}

  /** Active contacts matching typed text by person or account name, at most `limit`. */
  searchContacts(text: string, limit = 100): Promise<ContactProfile[]> {
    return this.directory.searchActive(this.db, text.slice(0, 100), limit);
  }
}
