'use client';
// The Materials list (instructors: their classes; students: their current classes): every file
// shared in class threads, newest first, filtered by class and type and searched by name, a page
// at a time. Instructors also get "Share with a class".
import { useCallback, useEffect, useState } from 'react';
import type { TMaterial } from '@/files/list-materials';
import { formatBytes } from '@/files/limits';
import type { Area } from '@/messaging/limits';
import { errorMessage, isAbort, messagingApi } from '@/ui/messages/api';
import { FileChip } from '@/ui/messages/message-list/Attachments';
import { useTimeFormat } from '@/ui/use-time-format';
import { SelectField } from './SelectField';
import { ShareWithClass, type MaterialsClass } from './ShareWithClass';

const TYPES = [
  ['', 'All types'],
  ['image', 'Images'],
  ['pdf', 'PDFs'],
  ['document', 'Documents'],
  ['spreadsheet', 'Spreadsheets'],
  ['presentation', 'Presentations'],
  ['text', 'Text and CSV'],
  ['archive', 'ZIP archives'],
  ['audio', 'Audio'],
  ['video', 'Video'],
] as const;

type Filter = { classId: string; type: string; q: string };

export function MaterialsBrowser({ area, classes }: { area: Area; classes: MaterialsClass[] }) {
  const [filter, setFilter] = useState<Filter>({ classId: '', type: '', q: '' });
  const [items, setItems] = useState<TMaterial[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const dates = useTimeFormat();

  const load = useCallback(
    async (after: string | null, signal?: AbortSignal) => {
      return messagingApi(area).listMaterials(
        {
          classId: filter.classId || undefined,
          type: filter.type || undefined,
          q: filter.q.trim() || undefined,
          cursor: after ?? undefined,
        },
        signal,
      );
    },
    [area, filter],
  );

  useEffect(() => {
    const abort = new AbortController();
    const timer = setTimeout(() => {
      setState('loading');
      load(null, abort.signal)
        .then((page) => {
          setItems(page.materials);
          setCursor(page.nextCursor);
          setState('ready');
        })
        .catch((err: unknown) => {
          if (isAbort(err)) return;
          setError(errorMessage(err));
          setState('error');
        });
    }, 200);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [load, version]);

  async function more() {
    try {
      const page = await load(cursor);
      setItems((list) => [...list, ...page.materials]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const shareable = classes.filter((c) => c.canShare);
  return (
    <div className="space-y-5">
      {area === 'instructor' && shareable.length > 0 ? (
        <ShareWithClass classes={shareable} onShared={() => setVersion((v) => v + 1)} />
      ) : null}
      <form
        role="search"
        aria-label="Filter materials"
        onSubmit={(e) => e.preventDefault()}
        className="flex flex-wrap gap-3 rounded-xl border border-slate-200 bg-white p-3"
      >
        <label className="flex min-w-40 flex-1 flex-col text-sm font-medium text-slate-700">
          Search by name
          <input
            type="search"
            value={filter.q}
            onChange={(e) => setFilter((f) => ({ ...f, q: e.target.value }))}
            className="mt-1 rounded-lg border border-slate-300 px-3 py-2 text-sm font-normal"
          />
        </label>
        <SelectField
          label="Class"
          value={filter.classId}
          onChange={(classId) => setFilter((f) => ({ ...f, classId }))}
          options={[['', 'All classes'], ...classes.map((c) => [c.id, c.name] as const)]}
        />
        <SelectField
          label="Type"
          value={filter.type}
          onChange={(type) => setFilter((f) => ({ ...f, type }))}
          options={TYPES}
        />
      </form>

      {state === 'error' ? (
        <p role="alert" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          The materials could not be loaded: {error}
        </p>
      ) : state === 'loading' && items.length === 0 ? (
        <p role="status" className="text-sm text-slate-600">
          Loading materials…
        </p>
      ) : items.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
          {filter.q || filter.classId || filter.type
            ? 'No files match these filters.'
            : 'No files have been shared in your classes yet.'}
        </p>
      ) : (
        <>
          <ul
            aria-label="Materials"
            className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white"
          >
            {items.map((m) => (
              <li
                key={m.attachment.id}
                data-testid="material"
                className="flex flex-wrap items-center gap-3 p-3"
              >
                {m.attachment.thumbnailUrl ? (
                  // eslint-disable-next-line @next/next/no-img-element -- a user's file, served by the API
                  <img
                    src={m.attachment.thumbnailUrl}
                    alt=""
                    width={48}
                    height={48}
                    className="size-12 shrink-0 rounded-md bg-slate-200 object-cover"
                  />
                ) : null}
                <div className="min-w-0 flex-1 basis-48">
                  <FileChip attachment={m.attachment} own={false} />
                </div>
                <p className="basis-full text-xs text-slate-600 sm:basis-auto">
                  {m.className} · {m.sharedBy} · <time dateTime={m.sharedAt}>{dates.date(m.sharedAt)}</time> ·{' '}
                  {formatBytes(m.attachment.size)}
                </p>
              </li>
            ))}
          </ul>
          {cursor ? (
            <button
              type="button"
              onClick={() => void more()}
              className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50"
            >
              Show older files
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}
