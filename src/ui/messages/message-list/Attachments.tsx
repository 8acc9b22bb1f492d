'use client';
// A sent message's files: images as a grid of thumbnails (their size reserved from the stored
// dimensions, so nothing shifts as they load) that open in a lightbox, with the arrow keys moving
// between them; other files as chips (icon, name, size) that download.
import { useRef, useState, type KeyboardEvent } from 'react';
import type { TAttachment } from '@/messaging/dto';
import { formatBytes } from '@/files/limits';
import { Icon } from '../Icon';

const THUMB = 320;

export function Attachments({ attachments, own }: { attachments: TAttachment[]; own: boolean }) {
  const images = attachments.filter((a) => a.thumbnailUrl);
  const files = attachments.filter((a) => !a.thumbnailUrl);
  const [open, setOpen] = useState<number | null>(null);
  return (
    <div className="mt-1.5 space-y-1.5">
      {images.length > 0 ? (
        <ul
          className={`grid gap-1.5 ${images.length > 1 ? 'grid-cols-2' : 'grid-cols-1'}`}
          aria-label="Images"
        >
          {images.map((a, i) => (
            <li key={a.id}>
              <button
                type="button"
                onClick={() => setOpen(i)}
                className="block overflow-hidden rounded-lg bg-slate-200 focus-visible:outline-2 focus-visible:outline-offset-2"
                aria-label={`Open image ${a.name}`}
              >
                {/* eslint-disable-next-line @next/next/no-img-element -- a user's file, served by the API */}
                <img
                  src={a.thumbnailUrl}
                  alt={a.name}
                  data-testid="attachment-thumbnail"
                  loading="lazy"
                  {...thumbSize(a)}
                  className="block h-auto max-h-60 w-auto max-w-full object-cover"
                />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {files.length > 0 ? (
        <ul className="space-y-1" aria-label="Files">
          {files.map((a) => (
            <li key={a.id}>
              <FileChip attachment={a} own={own} />
            </li>
          ))}
        </ul>
      ) : null}
      {open !== null ? (
        <Lightbox images={images} index={open} onIndex={setOpen} onClose={() => setOpen(null)} />
      ) : null}
    </div>
  );
}

function thumbSize(a: TAttachment): { width?: number; height?: number } {
  if (!a.width || !a.height) return {};
  const width = Math.min(THUMB, a.width);
  return { width, height: Math.round((a.height * width) / a.width) };
}

export function FileChip({ attachment: a, own }: { attachment: TAttachment; own: boolean }) {
  return (
    <a
      href={a.url}
      download={a.name}
      data-testid="attachment-file"
      className={`flex max-w-full items-center gap-2 rounded-lg border px-2.5 py-1.5 text-sm no-underline ${
        own ? 'border-brand-500 bg-brand-800 text-white' : 'border-slate-300 bg-white text-slate-900'
      }`}
    >
      <Icon
        path="M5 2a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V7.4a2 2 0 0 0-.6-1.4l-3.4-3.4A2 2 0 0 0 11.6 2H5Zm6 1.5V6a1 1 0 0 0 1 1h2.5L11 3.5Z"
        className="size-5 shrink-0"
      />
      <span className="min-w-0 flex-1 truncate font-medium">{a.name}</span>
      <span className={`shrink-0 text-xs ${own ? 'text-brand-100' : 'text-slate-600'}`}>
        {formatBytes(a.size)}
      </span>
      <span className="sr-only">, download</span>
    </a>
  );
}

function Lightbox({
  images,
  index,
  onIndex,
  onClose,
}: {
  images: TAttachment[];
  index: number;
  onIndex(i: number): void;
  onClose(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const image = images[index]!;
  const many = images.length > 1;
  const go = (step: number) => onIndex((index + step + images.length) % images.length);
  function keyDown(e: KeyboardEvent) {
    if (e.key === 'ArrowRight' && many) go(1);
    else if (e.key === 'ArrowLeft' && many) go(-1);
  }
  return (
    <dialog
      ref={(el) => {
        ref.current = el;
        if (el && !el.open) el.showModal();
      }}
      onClose={onClose}
      onKeyDown={keyDown}
      aria-label={`${image.name}, image ${index + 1} of ${images.length}`}
      data-testid="lightbox"
      className="m-auto max-h-[95vh] max-w-[95vw] rounded-xl bg-slate-900 p-3 text-white backdrop:bg-black/70"
    >
      <div className="mb-2 flex items-center gap-2">
        <p className="min-w-0 flex-1 truncate text-sm font-medium">{image.name}</p>
        <a
          href={image.url}
          download={image.name}
          className="rounded-md px-2 py-1 text-sm underline hover:bg-slate-800"
        >
          Download
        </a>
        <button
          type="button"
          onClick={() => ref.current?.close()}
          className="rounded-md px-2 py-1 text-sm hover:bg-slate-800"
          autoFocus
        >
          Close
        </button>
      </div>
      {/* eslint-disable-next-line @next/next/no-img-element -- a user's file, served by the API */}
      <img
        src={image.url}
        alt={image.name}
        width={image.width}
        height={image.height}
        className="mx-auto block h-auto max-h-[80vh] w-auto max-w-full"
      />
      {many ? (
        <div className="mt-2 flex justify-between">
          <button
            type="button"
            onClick={() => go(-1)}
            className="rounded-md px-3 py-1 text-sm hover:bg-slate-800"
          >
            ← Previous
          </button>
          <span className="self-center text-xs text-slate-300">
            {index + 1} / {images.length} · arrow keys move
          </span>
          <button
            type="button"
            onClick={() => go(1)}
            className="rounded-md px-3 py-1 text-sm hover:bg-slate-800"
          >
            Next →
          </button>
        </div>
      ) : null}
    </dialog>
  );
}
