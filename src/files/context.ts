// What the files use cases receive: the messaging context (database, events, rate limiter) and the
// store with the limits the process was configured with. Passed in, so a test can use any store.
import type { MessagingContext } from '@/messaging/context';
import type { FileStore } from './storage';

export interface TFileLimits {
  /** Largest single file, in bytes (ATTACHMENT_MAX_BYTES). */
  maxBytes: number;
  /** Bytes one user may keep (ATTACHMENT_QUOTA_BYTES). */
  quotaBytes: number;
}

export interface FilesContext extends MessagingContext {
  store: FileStore;
  fileLimits: TFileLimits;
}
