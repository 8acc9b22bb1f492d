// The allow-list of what may be shared, decided by a file's own bytes (its magic number, through
// file-type), never by its name or the MIME type a client claims. Text has no magic number: it is
// accepted only as valid UTF-8 that does not open like markup (HTML, SVG, XML) or a script.
import { createReadStream } from 'node:fs';

export type TFileKind =
  'image' | 'pdf' | 'document' | 'spreadsheet' | 'presentation' | 'text' | 'archive' | 'audio' | 'video';

export interface TDetectedType {
  contentType: string;
  kind: TFileKind;
  /** Re-encoded with sharp (EXIF stripped, a thumbnail made) and served inline. */
  image?: 'png' | 'jpeg' | 'webp' | 'gif';
}

/** MIME type as file-type names it → what we store and serve it as. */
const ALLOWED: Record<string, TDetectedType> = {
  'image/png': { contentType: 'image/png', kind: 'image', image: 'png' },
  'image/jpeg': { contentType: 'image/jpeg', kind: 'image', image: 'jpeg' },
  'image/webp': { contentType: 'image/webp', kind: 'image', image: 'webp' },
  'image/gif': { contentType: 'image/gif', kind: 'image', image: 'gif' },
  'application/pdf': { contentType: 'application/pdf', kind: 'pdf' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    kind: 'document',
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    kind: 'spreadsheet',
  },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
    contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    kind: 'presentation',
  },
  'application/vnd.oasis.opendocument.text': {
    contentType: 'application/vnd.oasis.opendocument.text',
    kind: 'document',
  },
  'application/zip': { contentType: 'application/zip', kind: 'archive' },
  'audio/mpeg': { contentType: 'audio/mpeg', kind: 'audio' },
  'audio/x-m4a': { contentType: 'audio/mp4', kind: 'audio' },
  'audio/mp4': { contentType: 'audio/mp4', kind: 'audio' },
  'video/mp4': { contentType: 'video/mp4', kind: 'video' },
  'audio/webm': { contentType: 'audio/webm', kind: 'audio' },
  'video/webm': { contentType: 'video/webm', kind: 'video' },
};

export const FILE_KINDS = [
  'image',
  'pdf',
  'document',
  'spreadsheet',
  'presentation',
  'text',
  'archive',
  'audio',
  'video',
] as const satisfies readonly TFileKind[];

/** The stored content types of each kind (what the Materials filter matches). */
export function contentTypesOf(kind: TFileKind): string[] {
  const types = Object.values(ALLOWED)
    .filter((t) => t.kind === kind)
    .map((t) => t.contentType);
  if (kind === 'text') types.push('text/plain; charset=utf-8', 'text/csv; charset=utf-8');
  return [...new Set(types)];
}

/** What the README and the UI say may be shared. */
export const ALLOWED_TYPES_LABEL =
  'images (PNG, JPEG, WebP, GIF), PDF, Word, Excel, PowerPoint, OpenDocument text, plain text and CSV, ZIP, MP3, M4A, MP4 and WebM';

/** The file's type if it is on the allow-list, else null (refused whatever it is called). */
export async function detectAllowedType(file: string, name: string): Promise<TDetectedType | null> {
  const { fileTypeFromFile } = await import('file-type');
  const found = await fileTypeFromFile(file);
  if (found) return ALLOWED[found.mime] ?? null;
  if (!(await isSafeText(file))) return null;
  return /\.csv$/i.test(name)
    ? { contentType: 'text/csv; charset=utf-8', kind: 'text' }
    : { contentType: 'text/plain; charset=utf-8', kind: 'text' };
}

// Markup and scripts, by how they start: a browser that ignored nosniff would run these.
const MARKUP = /^(?:\uFEFF)?\s*(?:<|#!)/;
const MARKUP_INSIDE = /<(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|xml)[\s>/]/i;

/** Valid UTF-8 all the way through, no NUL, and nothing like markup or a script at its start. */
async function isSafeText(file: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let head = '';
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) {
      const text = decoder.decode(chunk as Buffer, { stream: true });
      if (text.includes('\u0000')) return false;
      if (head.length < 4096) head += text.slice(0, 4096 - head.length);
    }
    decoder.decode();
  } catch {
    return false;
  }
  return !MARKUP.test(head) && !MARKUP_INSIDE.test(head);
}
