'use client';
// The classes an instructor may start a class thread in, read once when the form opens.
import { useEffect, useRef, useState } from 'react';
import type { TTaughtClass } from '@/classroom/instructor-queries';
import { errorMessage, isAbort, type MessagingApi } from '../api';

export interface TaughtClasses {
  status: 'loading' | 'ready' | 'error';
  list: TTaughtClass[];
  error: string | null;
  retry(): void;
}

/** Whether the list is in and none of it lets the viewer post (co-instructor only, or no classes). */
export function noPrimaryClass(classes: TaughtClasses): boolean {
  return classes.status === 'ready' && !classes.list.some((c) => c.isPrimary);
}

export function useTaughtClasses(
  api: MessagingApi,
  enabled: boolean,
  onLoaded: (list: TTaughtClass[]) => void,
): TaughtClasses {
  const [state, setState] = useState<Omit<TaughtClasses, 'retry'>>({
    status: 'loading',
    list: [],
    error: null,
  });
  const [attempt, setAttempt] = useState(0);
  const loaded = useRef(onLoaded);
  useEffect(() => {
    loaded.current = onLoaded;
  });

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    api
      .classes(controller.signal)
      .then(({ classes }) => {
        setState({ status: 'ready', list: classes, error: null });
        loaded.current(classes);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setState({ status: 'error', list: [], error: errorMessage(err) });
      });
    return () => controller.abort();
  }, [api, enabled, attempt]);

  return {
    ...state,
    retry() {
      setState({ status: 'loading', list: [], error: null });
      setAttempt((n) => n + 1);
    },
  };
}
