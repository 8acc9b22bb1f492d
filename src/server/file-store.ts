// The file store and limits of this process, from the environment: an S3-compatible bucket when
// S3_BUCKET is set, else the local disk under $DATA_DIR/uploads (nothing to configure).
import path from 'node:path';
import type { TFileLimits } from '@/files/context';
import { createLocalStore } from '@/files/local-store';
import { createS3Store } from '@/files/s3-store';
import type { FileStore } from '@/files/storage';
import type { TEnv } from '@/platform/env';

export function createFileStore(config: TEnv): FileStore {
  const uploadsDir = path.join(config.DATA_DIR, 'uploads');
  if (!config.S3_BUCKET) return createLocalStore(uploadsDir);
  return createS3Store({
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.S3_FORCE_PATH_STYLE === 'true',
    prefix: config.S3_PREFIX,
    scratchDir: path.join(uploadsDir, '.tmp'),
  });
}

export function fileLimitsOf(config: TEnv): TFileLimits {
  return { maxBytes: config.ATTACHMENT_MAX_BYTES, quotaBytes: config.ATTACHMENT_QUOTA_BYTES };
}
