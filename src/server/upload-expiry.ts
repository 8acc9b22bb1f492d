// The job that removes uploads nobody sent within a day, and deleted messages' files
// (src/files/expire-uploads.ts): shortly after
// start, then hourly. Idempotent, so every process may run it.
import type { FilesContext } from '@/files/context';
import { expireUploads } from '@/files/expire-uploads';
import { logger } from '@/platform/logger';
import { startPeriodicJob, type PeriodicJob } from './periodic-job';

export function startUploadExpiry(
  ctx: Pick<FilesContext, 'db' | 'store'>,
  opts: { firstRunMs?: number; everyMs?: number } = {},
): PeriodicJob {
  return startPeriodicJob({
    name: 'upload-expiry',
    firstRunMs: opts.firstRunMs ?? 60_000,
    everyMs: opts.everyMs ?? 60 * 60 * 1000,
    run: async () => {
      const { expired, purged } = await expireUploads(ctx);
      if (expired > 0) logger().info({ expired }, 'removed unsent uploads older than a day');
      if (purged > 0) logger().info({ purged }, "removed deleted messages' files");
    },
  });
}
