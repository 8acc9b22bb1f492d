'use client';
// The paperclip: opens the file picker and hands the chosen files to the uploads (useUploads),
// which upload them at once and show them as chips. The composer and Send individually share it.
import { useRef } from 'react';
import { Icon } from '../Icon';
import type { Uploads } from './use-uploads';

export function AttachButton({
  uploads,
  disabled = false,
  describedBy,
}: {
  uploads: Uploads;
  disabled?: boolean;
  /** The id of the hint that says how attaching works here. */
  describedBy?: string;
}) {
  const fileInputRef = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={fileInputRef}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        aria-hidden="true"
        data-testid="attach-input"
        onChange={(e) => {
          uploads.add(Array.from(e.target.files ?? []));
          e.target.value = '';
        }}
      />
      <button
        type="button"
        onClick={() => fileInputRef.current?.click()}
        disabled={disabled}
        aria-describedby={describedBy}
        className="inline-flex size-10 shrink-0 items-center justify-center rounded-lg border border-slate-300 text-slate-700 hover:bg-slate-50 disabled:cursor-not-allowed disabled:text-slate-400"
      >
        <Icon
          path="M13.2 3.3a3 3 0 0 1 4.2 4.2l-7.8 7.8a5 5 0 0 1-7.1-7.1l6.4-6.4a1 1 0 1 1 1.4 1.4L3.9 9.6a3 3 0 1 0 4.3 4.3L16 6.1a1 1 0 0 0-1.4-1.4L7.5 11.8a1 1 0 0 1-1.4-1.4l6.4-6.4.7-.7Z"
          className="size-5"
        />
        <span className="sr-only">Attach files</span>
      </button>
    </>
  );
}
