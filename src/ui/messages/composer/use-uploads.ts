'use client';
// The files waiting in the composer: each is uploaded at once (XMLHttpRequest, for its progress),
// shown as a chip that can be cancelled or retried, and sent by id with the message.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TAttachment } from '@/messaging/dto';
import { formatBytes, UPLOAD_FIELD } from '@/files/limits';
import { AREA_PREFIX, MAX_ATTACHMENTS_PER_MESSAGE, type Area } from '@/messaging/limits';

export interface UploadChip {
  id: string;
  file: File;
  /** 0…1 while uploading. */
  progress: number;
  status: 'uploading' | 'done' | 'error';
  /** What went wrong, and what to do about it. */
  error?: string;
  attachment?: TAttachment;
}

export interface Uploads {
  chips: UploadChip[];
  add(files: readonly File[]): void;
  cancel(id: string): void;
  retry(id: string): void;
  /** Forget every chip (after a send). */
  clear(): void;
  busy: boolean;
  /** Ids of the finished uploads, in the order added. */
  readyIds: string[];
}

let counter = 0;

export function useUploads(area: Area, online: boolean): Uploads {
  const [chips, setChips] = useState<UploadChip[]>([]);
  const requests = useRef(new Map<string, XMLHttpRequest>());
  const update = useCallback(
    (id: string, patch: Partial<UploadChip>) =>
      setChips((list) => list.map((c) => (c.id === id ? { ...c, ...patch } : c))),
    [],
  );

  const start = useCallback(
    (chip: UploadChip) => {
      const xhr = new XMLHttpRequest();
      requests.current.set(chip.id, xhr);
      xhr.open('POST', `${AREA_PREFIX[area]}/attachments`);
      xhr.responseType = 'json';
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) update(chip.id, { progress: e.loaded / e.total });
      };
      xhr.onload = () => {
        requests.current.delete(chip.id);
        const body = xhr.response as { data?: TAttachment; error?: { code: string; message: string } } | null;
        if (xhr.status === 201 && body?.data) {
          update(chip.id, { status: 'done', progress: 1, attachment: body.data });
        } else {
          update(chip.id, { status: 'error', error: uploadError(chip.file, xhr.status, body?.error) });
        }
      };
      xhr.onerror = () => {
        requests.current.delete(chip.id);
        update(chip.id, {
          status: 'error',
          error: 'The upload was interrupted. Check your connection, then retry.',
        });
      };
      const form = new FormData();
      form.append(UPLOAD_FIELD, chip.file, chip.file.name);
      xhr.send(form);
    },
    [area, update],
  );

  const add = useCallback(
    (files: readonly File[]) => {
      const fresh: UploadChip[] = files.map((file) => ({
        id: `upload-${++counter}`,
        file,
        progress: 0,
        status: 'uploading',
      }));
      setChips((list) => {
        const room = MAX_ATTACHMENTS_PER_MESSAGE - list.length;
        const accepted = fresh.slice(0, Math.max(0, room));
        const refused = fresh.slice(accepted.length).map((c): UploadChip => ({
          ...c,
          status: 'error',
          error: `At most ${MAX_ATTACHMENTS_PER_MESSAGE} files in one message: send these in another.`,
        }));
        for (const chip of accepted) {
          if (online) queueMicrotask(() => start(chip));
          else {
            chip.status = 'error';
            chip.error = 'Attachments need a connection. Retry when you are back online.';
          }
        }
        return [...list, ...accepted, ...refused];
      });
    },
    [online, start],
  );

  const cancel = useCallback((id: string) => {
    requests.current.get(id)?.abort();
    requests.current.delete(id);
    setChips((list) => list.filter((c) => c.id !== id));
  }, []);

  const retry = useCallback(
    (id: string) => {
      const chip = chips.find((c) => c.id === id);
      if (!chip) return;
      const again: UploadChip = { ...chip, status: 'uploading', progress: 0, error: undefined };
      update(id, again);
      start(again);
    },
    [chips, start, update],
  );

  const clear = useCallback(() => {
    for (const xhr of requests.current.values()) xhr.abort();
    requests.current.clear();
    setChips([]);
  }, []);

  // Leaving the conversation abandons uploads still in flight.
  useEffect(() => {
    const pending = requests.current;
    return () => {
      for (const xhr of pending.values()) xhr.abort();
    };
  }, []);

  return {
    chips,
    add,
    cancel,
    retry,
    clear,
    busy: chips.some((c) => c.status === 'uploading'),
    readyIds: chips.flatMap((c) => (c.status === 'done' && c.attachment ? [c.attachment.id] : [])),
  };
}

/** The server's sentence, made specific where the browser knows more (the file's own size). */
function uploadError(file: File, status: number, error?: { code: string; message: string }): string {
  if (error?.code === 'PAYLOAD_TOO_LARGE' || status === 413) {
    const limit = /limit is ([\d.]+ \w+)/.exec(error?.message ?? '')?.[1];
    return `File too large (${formatBytes(file.size)})${limit ? `; the limit is ${limit}` : ''}.`;
  }
  if (error?.code === 'UNSUPPORTED_FILE_TYPE')
    return "This file type can't be shared. Try a PDF, an image or a document.";
  return error?.message ?? 'The upload failed. Retry, or choose another file.';
}
