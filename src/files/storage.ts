// Where uploaded bytes live: one interface, a local-disk store (the default, under
// $DATA_DIR/uploads) and an S3-compatible one (when S3_BUCKET is set). Files are addressed by a
// random key, never by the user's file name, and a write lands under its key only once whole.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Inclusive byte offsets, as HTTP ranges count them. */
export interface TByteRange {
  start: number;
  end: number;
}

export interface TStoredFile {
  key: string;
  size: number;
}

export interface FileStore {
  readonly kind: 'local' | 's3';
  /** Stores a stream under a new random key. Either the whole file is stored, or nothing is. */
  put(body: Readable): Promise<TStoredFile>;
  /** Stores a finished file from the scratch folder; it is moved (or copied, then removed). */
  putFile(path: string): Promise<TStoredFile>;
  /** The stored bytes, or one range of them. */
  get(key: string, range?: TByteRange): Promise<Readable>;
  /** Removes a file; a key that is already gone is not an error. */
  delete(key: string): Promise<void>;
  /** A fresh path in a folder for work in progress, on the same disk as the store when it has one. */
  scratchPath(): string;
}

/** 192 random bits, URL- and file-name-safe. */
export function newStorageKey(): string {
  return randomBytes(24).toString('base64url');
}

const KEY = /^[A-Za-z0-9_-]{16,64}$/;

/** Keys come from newStorageKey; anything else (a path, a dot) is refused before it reaches a store. */
export function assertStorageKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`invalid storage key ${JSON.stringify(key)}`);
  return key;
}

/**
 * A store's put(stream): the stream is written to a scratch file, which `place` then stores (a
 * rename on disk, a PUT of known length in a bucket); the scratch file never outlives the call.
 */
export async function spoolThenPlace(
  body: Readable,
  scratch: string,
  place: (file: string) => Promise<TStoredFile>,
): Promise<TStoredFile> {
  try {
    await pipeline(body, createWriteStream(scratch, { flags: 'wx' }));
    return await place(scratch);
  } finally {
    await fs.rm(scratch, { force: true });
  }
}
