'use client';
// "Share with a class": choose a class and files (they upload at once, with progress), add a note,
// and post them in the class's materials announcement.
import { useId, useState, type FormEvent } from 'react';
import { errorMessage, messagingApi } from '@/ui/messages/api';
import { UploadChips } from '@/ui/messages/composer/UploadChips';
import { useUploads } from '@/ui/messages/composer/use-uploads';
import { SelectField } from './SelectField';

export interface MaterialsClass {
  id: string;
  name: string;
  /** Instructors: may share here (primary instructor). */
  canShare?: boolean;
}

export function ShareWithClass({ classes, onShared }: { classes: MaterialsClass[]; onShared(): void }) {
  const id = useId();
  const uploads = useUploads('instructor', true);
  const [classId, setClassId] = useState(classes[0]?.id ?? '');
  const [note, setNote] = useState('');
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [sending, setSending] = useState(false);
  const ready = uploads.readyIds;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!classId || ready.length === 0 || uploads.busy) return;
    setSending(true);
    try {
      await messagingApi('instructor').shareMaterial({
        classId,
        attachmentIds: ready,
        note: note.trim() || undefined,
      });
      uploads.clear();
      setNote('');
      setStatus({
        kind: 'ok',
        text: `Shared with ${classes.find((c) => c.id === classId)?.name ?? 'the class'}.`,
      });
      onShared();
    } catch (err) {
      setStatus({ kind: 'error', text: errorMessage(err) });
    } finally {
      setSending(false);
    }
  }

  return (
    <form
      onSubmit={submit}
      aria-labelledby={`${id}-title`}
      className="space-y-3 rounded-xl border border-slate-200 bg-white p-4"
    >
      <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
        Share with a class
      </h2>
      <div className="flex flex-wrap gap-3">
        <SelectField
          label="Class"
          value={classId}
          onChange={setClassId}
          options={classes.map((c) => [c.id, c.name] as const)}
        />
        <label className="flex min-w-40 flex-1 flex-col text-sm font-medium text-slate-700">
          Files
          <input
            type="file"
            multiple
            data-testid="share-input"
            onChange={(e) => {
              uploads.add(Array.from(e.target.files ?? []));
              e.target.value = '';
            }}
            className="mt-1 text-sm font-normal"
          />
        </label>
      </div>
      <UploadChips uploads={uploads} />
      <label className="flex flex-col text-sm font-medium text-slate-700">
        Note (optional)
        <input
          value={note}
          onChange={(e) => setNote(e.target.value)}
          className="mt-1 rounded-lg border border-slate-300 px-3 py-2 text-sm font-normal"
        />
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={sending || uploads.busy || ready.length === 0}
          className="rounded-lg bg-brand-700 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-800 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-700"
        >
          {sending ? 'Sharing…' : 'Share'}
        </button>
        {status ? (
          <p
            role={status.kind === 'error' ? 'alert' : 'status'}
            className={status.kind === 'error' ? 'text-sm text-red-800' : 'text-sm text-emerald-800'}
          >
            {status.text}
          </p>
        ) : null}
      </div>
    </form>
  );
}
