// The S3-compatible store (AWS S3, MinIO, R2, …), used when S3_BUCKET is set. An object appears
// under its key only when its PUT completes, so a failed upload never leaves a half-object behind.
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { assertStorageKey, newStorageKey, spoolThenPlace, type FileStore, type TByteRange } from './storage';

export interface S3StoreOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
  prefix?: string;
  /** Work in progress before a PUT (an upload is checked whole before it is stored). */
  scratchDir?: string;
}

export function createS3Store(opts: S3StoreOptions): FileStore {
  const client = new S3Client({
    region: opts.region,
    endpoint: opts.endpoint,
    forcePathStyle: opts.forcePathStyle,
    // The SDK's default streams a PUT as aws-chunked with a checksum trailer, which many
    // S3-compatible servers store verbatim; outside AWS, checksums only where the API requires them.
    ...(opts.endpoint
      ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
    credentials:
      opts.accessKeyId && opts.secretAccessKey
        ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey }
        : undefined,
  });
  const scratch = opts.scratchDir ?? path.join(os.tmpdir(), 'classroom-uploads');
  const made = fs.mkdir(scratch, { recursive: true });
  const objectKey = (key: string) => `${opts.prefix ?? ''}${assertStorageKey(key)}`;

  async function putFile(file: string) {
    const key = newStorageKey();
    const { size } = await fs.stat(file);
    await client.send(
      new PutObjectCommand({
        Bucket: opts.bucket,
        Key: objectKey(key),
        Body: createReadStream(file),
        ContentLength: size,
        ContentType: 'application/octet-stream',
      }),
    );
    await fs.rm(file, { force: true });
    return { key, size };
  }

  return {
    kind: 's3',
    scratchPath: () => path.join(scratch, `${newStorageKey()}.part`),
    async put(body: Readable) {
      // A PUT needs its length up front: the stream is spooled to scratch first.
      await made;
      return spoolThenPlace(body, path.join(scratch, `${newStorageKey()}.part`), putFile);
    },
    async putFile(file) {
      return putFile(file);
    },
    async get(key: string, range?: TByteRange) {
      const out = await client.send(
        new GetObjectCommand({
          Bucket: opts.bucket,
          Key: objectKey(key),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      return out.Body as Readable;
    },
    async delete(key: string) {
      await client.send(new DeleteObjectCommand({ Bucket: opts.bucket, Key: objectKey(key) }));
    },
  };
}
