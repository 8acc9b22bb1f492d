'use client';
// The files waiting in the composer, before the send: name and size, a progress bar while
// uploading, Cancel, and on a failure the reason and Retry.
import { formatBytes } from '@/files/limits';
import type { Uploads } from './use-uploads';

export function UploadChips({ uploads }: { uploads: Uploads }) {
  if (uploads.chips.length === 0) return null;
  return (
    <ul className="mb-2 flex flex-wrap gap-2" aria-label="Files to send">
      {uploads.chips.map((chip) => (
        <li
          key={chip.id}
          data-testid="upload-chip"
          data-status={chip.status}
          className={`flex w-full max-w-xs flex-col gap-1 rounded-lg border px-2.5 py-1.5 text-xs sm:w-64 ${
            chip.status === 'error' ? 'border-red-300 bg-red-50' : 'border-slate-300 bg-slate-50'
          }`}
        >
          <div className="flex items-center gap-2">
            <span className="min-w-0 flex-1 truncate font-medium text-slate-900">{chip.file.name}</span>
            <span className="shrink-0 text-slate-600">{formatBytes(chip.file.size)}</span>
            {chip.status === 'error' ? (
              <button
                type="button"
                onClick={() => uploads.retry(chip.id)}
                className="rounded px-1.5 py-0.5 font-semibold text-brand-800 hover:bg-white"
              >
                Retry<span className="sr-only"> {chip.file.name}</span>
              </button>
            ) : null}
            <button
              type="button"
              onClick={() => uploads.cancel(chip.id)}
              className="rounded px-1.5 py-0.5 font-semibold text-slate-700 hover:bg-white"
            >
              {chip.status === 'uploading' ? 'Cancel' : 'Remove'}
              <span className="sr-only"> {chip.file.name}</span>
            </button>
          </div>
          {chip.status === 'uploading' ? (
            <progress
              max={1}
              value={chip.progress}
              aria-label={`Uploading ${chip.file.name}`}
              className="h-1.5 w-full overflow-hidden rounded accent-brand-700"
            />
          ) : chip.status === 'error' ? (
            <p role="alert" className="text-red-800">
              {chip.error}
            </p>
          ) : (
            <p className="text-emerald-800">Ready to send</p>
          )}
        </li>
      ))}
    </ul>
  );
}
