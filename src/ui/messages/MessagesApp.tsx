'use client';
// The messages screen for either area: the conversation list beside the open conversation on
// wide screens, and as two screens (list, then chat with a Back button) on a phone. The open
// thread lives in the URL (?thread=<id>), so reloads, links and the browser's Back work.
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useState } from 'react';
import { ChatPane } from './ChatPane';
import { ConnectionBanner } from './ConnectionBanner';
import { useMessaging } from './MessagingProvider';
import { NewMessageDialog } from './new-message/NewMessageDialog';
import { ThreadListPane, type ClassOption } from './ThreadListPane';
import type { TRecipient } from '@/messaging/list-recipients';
import type { RenderedThread } from './use-thread';

/**
 * The pane fills the window under the area's own header: the instructor's sidebar layout has a
 * top bar on phones only; the student's header is two rows on phones and one from `sm` up.
 */
const HEIGHTS = {
  sidebar: 'h-[calc(100dvh-10rem)] md:h-[calc(100dvh-8rem)]',
  topbar: 'h-[calc(100dvh-13rem)] sm:h-[calc(100dvh-11.5rem)]',
} as const;

export function MessagesApp({
  emptyHint,
  shell,
  rendered: renderedOnServer,
  classes = [],
  initialRecipient = null,
}: {
  emptyHint: string;
  /** The viewer's classes, for the list's class filter. */
  classes?: readonly ClassOption[];
  /** ?to=<userId> without a conversation yet: the new-message form opens addressed to them. */
  initialRecipient?: TRecipient | null;
  shell: keyof typeof HEIGHTS;
  /** The conversation the page was opened on (?thread=…), rendered by the server; null otherwise. */
  rendered: RenderedThread | null;
}) {
  const { viewer } = useMessaging();
  const pathname = usePathname();
  const params = useSearchParams();
  const selected = params.get('thread');
  // Good for the first visit only: coming back to it after opening another reads it afresh.
  const [rendered, setRendered] = useState(renderedOnServer);
  if (rendered && rendered.detail.thread.id !== selected) setRendered(null);
  const composeParam = params.get('compose');
  const [compose, setCompose] = useState<'direct' | 'class' | null>(
    composeParam === 'direct' || composeParam === 'class' ? composeParam : initialRecipient ? 'direct' : null,
  );
  const initialClassId = params.get('classId') ?? '';

  const focusId = params.get('message');
  const go = useCallback(
    (threadId: string | null, messageId?: string) => {
      const url = threadId
        ? `${pathname}?thread=${encodeURIComponent(threadId)}${messageId ? `&message=${encodeURIComponent(messageId)}` : ''}`
        : pathname;
      window.history.pushState(null, '', url);
    },
    [pathname],
  );

  function closeCompose() {
    setCompose(null);
    if (composeParam || params.get('to'))
      window.history.replaceState(null, '', selected ? `${pathname}?thread=${selected}` : pathname);
  }

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">Messages</h1>
        <button
          type="button"
          onClick={() => setCompose('direct')}
          className="inline-flex items-center gap-2 rounded-lg bg-brand-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-800"
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
            <path d="M10 3a1 1 0 0 1 1 1v5h5a1 1 0 1 1 0 2h-5v5a1 1 0 1 1-2 0v-5H4a1 1 0 1 1 0-2h5V4a1 1 0 0 1 1-1Z" />
          </svg>
          New message
        </button>
      </div>
      <ConnectionBanner />
      <div
        className={`grid min-h-[26rem] grid-cols-[minmax(0,1fr)] overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm md:grid-cols-[20rem_minmax(0,1fr)] lg:grid-cols-[22rem_minmax(0,1fr)] ${HEIGHTS[shell]}`}
      >
        <ThreadListPane
          viewerId={viewer.id}
          selectedId={selected}
          onSelect={go}
          emptyHint={emptyHint}
          classes={classes}
          className={`md:border-r md:border-slate-200 ${selected ? 'hidden md:flex' : 'flex'}`}
        />
        <div className={`min-h-0 min-w-0 ${selected ? 'block' : 'hidden md:block'}`}>
          {selected ? (
            <ChatPane
              key={selected}
              threadId={selected}
              focusId={focusId}
              rendered={rendered}
              onBack={() => go(null)}
            />
          ) : (
            <div className="flex h-full items-center justify-center p-8 text-center">
              <div className="max-w-xs">
                <p className="text-base font-semibold text-slate-900">Choose a conversation</p>
                <p className="mt-1 text-sm text-slate-600">
                  Pick one from the list, or start a new one with <strong>New message</strong>.
                </p>
              </div>
            </div>
          )}
        </div>
      </div>
      <NewMessageDialog
        open={compose !== null}
        initialMode={compose ?? 'direct'}
        initialRecipient={initialRecipient}
        initialClassId={initialClassId}
        onClose={closeCompose}
        onCreated={(threadId) => {
          setCompose(null);
          go(threadId);
        }}
      />
    </div>
  );
}
