// Multipart uploads, streamed: busboy parses the request body as it arrives and hands over the
// file part as a stream, so a large file never sits whole in memory. The caller reads (and limits)
// that stream; this only finds it.
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { AppError } from './errors';
import { requestBodyStream } from './node-body';

/** What busboy buffers of a request, and of the file part it hands over. */
const PARSER_BUFFER_BYTES = 256 * 1024;

export interface TUploadedFile {
  filename: string;
  /** The file's bytes, as they arrive. Read it to the end, or resume() it to discard the rest. */
  stream: Readable;
  /** The client's claim; never trusted for anything but logs. */
  mimeType: string;
}

/** Resolves as soon as the `field` part starts; a body without it is 400 NO_FILE. */
export function readUploadedFile(req: Request, field: string): Promise<TUploadedFile> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    return Promise.reject(
      new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data.', { status: 415 }),
    );
  }
  const source = requestBodyStream(req);
  if (!source) return Promise.reject(noFile(field));
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': type },
        limits: { files: 1, fields: 10, parts: 20, fieldSize: 10_000 },
        defParamCharset: 'utf8',
        // The name is only ever shown; keep it as sent (upload-file.ts cleans it for display).
        preservePath: true,
        // busboy's own buffers default to 16 KB, which pauses the request on every 64 KB socket
        // read. At 1 MB (the file path's size) ten concurrent uploads held some 20 MB more, and on
        // PostgreSQL the server's RSS grew past 60 MB (bench:files); 256 KB uploads as fast.
        highWaterMark: PARSER_BUFFER_BYTES,
        fileHwm: PARSER_BUFFER_BYTES,
      });
    } catch {
      reject(new AppError('BAD_REQUEST', 'The multipart body could not be read.'));
      return;
    }
    let found = false;
    parser.on('file', (name, stream, info) => {
      if (found || name !== field) {
        stream.resume();
        return;
      }
      found = true;
      resolve({ filename: formFileName(info.filename ?? ''), stream, mimeType: info.mimeType });
    });
    parser.on('error', (err) => {
      const failure = new AppError('BAD_REQUEST', 'The multipart body could not be read.', { cause: err });
      if (!found) reject(failure);
    });
    parser.on('close', () => {
      if (!found) reject(noFile(field));
    });
    source.on('error', (err) => parser.destroy(err));
    source.pipe(parser);
  });
}

function noFile(field: string) {
  return new AppError('NO_FILE', `Attach the file in a multipart field named "${field}".`, { status: 400 });
}

/**
 * Browsers write a form's file name with `"`, LF and CR as %22, %0A and %0D (the HTML standard's
 * multipart encoding); read them back so `a"b.txt` stays `a"b.txt`.
 */
function formFileName(raw: string): string {
  return raw.replace(/%22/g, '"').replace(/%0A/gi, '\n').replace(/%0D/gi, '\r');
}
