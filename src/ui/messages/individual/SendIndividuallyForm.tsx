'use client';
// "Send individually": the same text into each chosen student's own conversation. The students of
// one class are listed (all ticked); untick the ones to leave out. The request's key is made once
// per form, so pressing Send again after a network error cannot send anyone a second copy. Files
// attach as in the composer (the same button, chips and uploads); each student gets their own copy.
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { MAX_BATCH_RECIPIENTS } from '@/messaging/limits';
import { newClientMessageId } from '@/realtime/client';
import { primaryButton } from '@/ui/buttons';
import { errorMessage } from '../api';
import { AttachButton } from '../composer/AttachButton';
import { UploadChips } from '../composer/UploadChips';
import { useUploads } from '../composer/use-uploads';
import { useMessaging } from '../MessagingProvider';

export interface RosterStudent {
  id: string;
  name: string;
}

export function SendIndividuallyForm({
  classId,
  students,
  initialChosen = [],
}: {
  classId: string;
  students: RosterStudent[];
  /** Students chosen when the form opens (a link from analytics: those who have not read); else all. */
  initialChosen?: readonly string[];
}) {
  const { api } = useMessaging();
  const router = useRouter();
  const ids = useId();
  const [chosen, setChosen] = useState(() => {
    const preset = students.filter((s) => initialChosen.includes(s.id));
    return new Set((preset.length ? preset : students).map((s) => s.id));
  });
  const [content, setContent] = useState('');
  const [key, setKey] = useState(() => newClientMessageId());
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const uploads = useUploads('instructor', true);

  const toggle = (id: string) =>
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      setKey(newClientMessageId());
      return next;
    });

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!content.trim()) return setError('Write a message.');
    if (chosen.size === 0) return setError('Choose at least one student.');
    if (chosen.size > MAX_BATCH_RECIPIENTS)
      return setError(`At most ${MAX_BATCH_RECIPIENTS} students at once.`);
    if (uploads.busy) return setError('Uploading… Send when the files are ready.');
    setPending(true);
    setError(null);
    try {
      const all = chosen.size === students.length;
      const batch = await api.sendIndividually({
        content: content.trim(),
        clientBatchId: key,
        ...(uploads.readyIds.length ? { attachmentIds: uploads.readyIds } : {}),
        ...(all ? { classId } : { recipientIds: [...chosen] }),
      });
      router.push(`/instructor/messages/individual/${encodeURIComponent(batch.id)}`);
    } catch (err) {
      setError(errorMessage(err));
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <fieldset className="rounded-xl border border-slate-200 bg-white p-4">
        <legend className="px-1 text-sm font-semibold text-slate-900">
          Recipients ({chosen.size} of {students.length})
        </legend>
        <ul className="grid max-h-72 gap-1 overflow-y-auto sm:grid-cols-2">
          {students.map((s) => (
            <li key={s.id}>
              <label className="flex items-center gap-2 rounded px-1 py-0.5 text-sm text-slate-800 hover:bg-slate-50">
                <input type="checkbox" checked={chosen.has(s.id)} onChange={() => toggle(s.id)} />
                <span className="min-w-0 truncate">{s.name}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div>
        <label htmlFor={`${ids}-content`} className="block text-sm font-medium text-slate-800">
          Message
        </label>
        <textarea
          id={`${ids}-content`}
          value={content}
          onChange={(e) => setContent(e.target.value)}
          rows={5}
          aria-describedby={`${ids}-hint`}
          className="mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2 text-base text-slate-900 sm:text-sm"
        />
        <p id={`${ids}-hint`} className="mt-1 text-xs text-slate-600">
          Each student gets it in their own conversation with you; replies come back to you alone.
        </p>
      </div>
      <div>
        <UploadChips uploads={uploads} />
        <div className="flex items-center gap-2">
          <AttachButton uploads={uploads} describedBy={`${ids}-files`} />
          <p id={`${ids}-files`} className="text-xs text-slate-600">
            Attach files: each student gets them with the message.
          </p>
        </div>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={pending || uploads.busy} className={primaryButton}>
        {pending ? 'Sending…' : `Send to ${chosen.size} student${chosen.size === 1 ? '' : 's'}`}
      </button>
    </form>
  );
}
