'use client';
// Renaming a class thread, in place of the settings menu: checked here first, then by the API, whose
// error on the title is shown under the field. Esc goes back to the menu.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { WireThreadSummary } from '@/realtime/contract';
import { primaryButton, secondaryButton } from '@/ui/buttons';
import { MAX_TITLE_CHARS as TITLE_MAX } from '@/messaging/limits';

export type SaveResult = { saved: true } | { saved: false; titleError?: string };

function check(title: string): string | null {
  if (!title) return 'A title cannot be empty.';
  if (title.length > TITLE_MAX) return `At most ${TITLE_MAX} characters.`;
  return null;
}

export function RenameForm({
  thread,
  busy,
  saving,
  onSave,
  onCancel,
  onDone,
}: {
  thread: WireThreadSummary;
  /** A change is being saved: the buttons stay focusable (aria-disabled) but do nothing. */
  busy: boolean;
  saving: boolean;
  onSave(title: string): Promise<SaveResult>;
  onCancel(): void;
  onDone(): void;
}) {
  const [title, setTitle] = useState(thread.title ?? thread.displayTitle);
  const [titleError, setTitleError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const titleErrorId = useId();

  useEffect(() => inputRef.current?.focus(), []);

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    const next = title.trim();
    const invalid = check(next);
    setTitleError(invalid);
    if (invalid) return inputRef.current?.focus();
    if (next === thread.title) return onDone();
    const result = await onSave(next);
    if (result.saved) return onDone();
    if (result.titleError) setTitleError(result.titleError);
    inputRef.current?.focus();
  }

  return (
    <form
      onSubmit={save}
      noValidate
      className="flex flex-col gap-2 px-3 pb-2"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        onCancel();
      }}
    >
      <label htmlFor={titleId} className="text-sm font-medium text-slate-800">
        Title
      </label>
      <input
        ref={inputRef}
        id={titleId}
        type="text"
        value={title}
        maxLength={TITLE_MAX}
        required
        aria-invalid={titleError ? true : undefined}
        aria-describedby={titleError ? titleErrorId : undefined}
        onChange={(e) => setTitle(e.target.value)}
        className="w-full rounded-lg border border-slate-300 px-3 py-2 text-sm text-slate-900 shadow-sm aria-invalid:border-red-600"
      />
      {titleError ? (
        <p id={titleErrorId} className="text-sm text-red-700">
          {titleError}
        </p>
      ) : null}
      <FormButtons busy={busy} saving={saving} onCancel={onCancel} />
    </form>
  );
}

function FormButtons({ busy, saving, onCancel }: { busy: boolean; saving: boolean; onCancel(): void }) {
  return (
    <div className="flex justify-end gap-2">
      <button
        type="button"
        className={`${secondaryButton} px-3 py-1.5`}
        onClick={onCancel}
        aria-disabled={busy}
      >
        Cancel
      </button>
      <button type="submit" className={`${primaryButton} px-3 py-1.5`} aria-disabled={busy}>
        {saving ? 'Saving…' : 'Save'}
      </button>
    </div>
  );
}
