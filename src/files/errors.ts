// Every refusal of the files domain: code, HTTP status and a sentence that says what to do.
import { AppError } from '@/platform/errors';

export const FILE_ERRORS = {
  PAYLOAD_TOO_LARGE: {
    code: 'PAYLOAD_TOO_LARGE',
    status: 413,
    when: 'the file is larger than ATTACHMENT_MAX_BYTES (25 MB)',
  },
  QUOTA_EXCEEDED: {
    code: 'QUOTA_EXCEEDED',
    status: 403,
    when: 'the upload would take the caller past their storage quota (1 GB)',
  },
  UNSUPPORTED_FILE_TYPE: {
    code: 'UNSUPPORTED_FILE_TYPE',
    status: 415,
    when: 'the file’s bytes are not an allowed type',
  },
  EMPTY_FILE: { code: 'EMPTY_FILE', status: 400, when: 'the file has no bytes' },
  NO_FILE: { code: 'NO_FILE', status: 400, when: 'the multipart body has no `file` part' },
  ATTACHMENT_NOT_FOUND: {
    code: 'NOT_FOUND',
    status: 404,
    when: 'the attachment does not exist or is not visible to the caller',
  },
} as const;

export type TFileErrorName = keyof typeof FILE_ERRORS;

export function fileError(name: TFileErrorName, message: string): AppError {
  const { code, status } = FILE_ERRORS[name];
  return new AppError(code, message, { status });
}
