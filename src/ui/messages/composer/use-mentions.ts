'use client';
// @mention autocomplete for the composer: the word being typed after an @ is matched against the
// conversation's participants (and only them), by the start of any part of their name. Picking one
// writes "@Full Name " in its place and remembers the id; what is sent are the ids whose "@Name"
// is still in the text.
import { useState } from 'react';

export interface Mentionable {
  id: string;
  name: string;
}

const TRIGGER = /(^|\s)@([\p{L}\p{N}._'-]{0,40})$/u;

export function useMentions(candidates: readonly Mentionable[]) {
  const [query, setQuery] = useState<{ text: string; start: number } | null>(null);
  const [active, setActive] = useState(0);
  const [picked, setPicked] = useState<Mentionable[]>([]);

  const q = query?.text.toLowerCase() ?? '';
  const matches = query
    ? candidates
        .filter((c) =>
          c.name
            .toLowerCase()
            .split(/\s+/)
            .some((w) => w.startsWith(q)),
        )
        .slice(0, 6)
    : [];

  return {
    matches,
    active: Math.min(active, Math.max(matches.length - 1, 0)),
    open: matches.length > 0,
    /** After each change of the text: is an @word being typed at the caret? */
    track(text: string, caret: number) {
      const m = TRIGGER.exec(text.slice(0, caret));
      setQuery(m ? { text: m[2] ?? '', start: caret - (m[2]?.length ?? 0) - 1 } : null);
      setActive(0);
    },
    move(delta: number) {
      setActive((a) => (matches.length ? (a + delta + matches.length) % matches.length : 0));
    },
    close() {
      setQuery(null);
    },
    /** The text with the @word replaced by the person's name, and where the caret goes. */
    pick(text: string, caret: number, person: Mentionable): { text: string; caret: number } {
      const start = query?.start ?? caret;
      const inserted = `@${person.name} `;
      setPicked((list) => (list.some((p) => p.id === person.id) ? list : [...list, person]));
      setQuery(null);
      return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
    },
    /** The ids still mentioned in the text as sent. */
    idsIn(text: string): string[] {
      return picked.filter((p) => text.includes(`@${p.name}`)).map((p) => p.id);
    },
    reset() {
      setPicked([]);
      setQuery(null);
    },
  };
}
