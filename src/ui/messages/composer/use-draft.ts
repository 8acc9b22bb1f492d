// The composer's draft, kept per user and thread in this browser's localStorage so it survives
// switching threads and reloads.
import { useEffect, useState } from 'react';
import { useHydrated } from '../display';

function draftKey(userId: string, threadId: string) {
  return `cm:draft:${userId}:${threadId}`;
}

function readDraft(key: string): string {
  try {
    return globalThis.localStorage?.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function writeDraft(key: string, text: string) {
  try {
    if (text) globalThis.localStorage?.setItem(key, text);
    else globalThis.localStorage?.removeItem(key);
  } catch {
    // storage full or disabled: the draft lives as long as the page
  }
}

/** The viewer's draft in one thread: its text, a setter, and `clear` for once it is sent. */
export function useDraft(userId: string, threadId: string) {
  const key = draftKey(userId, threadId);
  // The draft is in this browser's storage only: put back once the server's render is hydrated.
  const hydrated = useHydrated();
  const [text, setText] = useState(() => (hydrated ? readDraft(key) : ''));
  const [restored, setRestored] = useState(hydrated);
  if (hydrated && !restored) {
    setRestored(true);
    setText(readDraft(key));
  }

  // Saved a moment after the last keystroke rather than on every one.
  useEffect(() => {
    const t = setTimeout(() => writeDraft(key, text), 300);
    return () => clearTimeout(t);
  }, [key, text]);

  function clear() {
    setText('');
    writeDraft(key, '');
  }

  return { text, setText, clear };
}
