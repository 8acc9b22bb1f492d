// Limits and formatting of the files domain that the browser shares (no server-only imports).

/** The multipart field an upload's file travels in. */
export const UPLOAD_FIELD = 'file';

/** "31 MB", "820 KB": sizes as people read them (1 MB = 1024 × 1024 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${round(bytes / 1024 ** 3)} GB`;
  if (bytes >= 1024 * 1024) return `${round(bytes / 1024 ** 2)} MB`;
  if (bytes >= 1024) return `${round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

const round = (n: number) => (n >= 10 ? Math.round(n) : Math.round(n * 10) / 10);
