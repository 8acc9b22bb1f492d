'use client';
// The open conversation's header: back (on narrow screens), its title and what kind of thread it
// is, and its settings menu.
import type { WireThreadSummary } from '@/realtime/contract';
import type { WirePermissions } from './api';
import { Icon } from './Icon';
import { ThreadSettings } from './thread-settings/ThreadSettings';

export function ChatHeader({
  thread,
  title,
  permissions,
  onBack,
  onChange,
}: {
  thread: WireThreadSummary | null;
  title: string;
  permissions: WirePermissions | null;
  onBack(): void;
  onChange(thread: WireThreadSummary): void;
}) {
  return (
    <header className="flex items-center gap-2 border-b border-slate-200 px-3 py-2.5 sm:px-4">
      <button
        type="button"
        onClick={onBack}
        className="-ml-1 inline-flex items-center gap-1 rounded-lg px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 md:hidden"
      >
        <Icon path="M12.7 4.3a1 1 0 0 1 0 1.4L8.4 10l4.3 4.3a1 1 0 0 1-1.4 1.4l-5-5a1 1 0 0 1 0-1.4l5-5a1 1 0 0 1 1.4 0Z" />
        Back<span className="sr-only"> to conversations</span>
      </button>
      <div className="min-w-0 flex-1">
        <h2 id="chat-title" className="truncate text-base font-semibold text-slate-900">
          {title}
        </h2>
        {thread ? (
          <p className="truncate text-xs text-slate-600">
            {thread.type === 'DIRECT'
              ? 'Direct message'
              : `${thread.kind === 'announcement' ? 'Announcement' : 'Discussion'} · ${thread.className ?? 'Class'} · ${thread.participantCount} people`}
            {thread.muted ? ' · Muted' : ''}
            {thread.archived ? ' · Archived' : ''}
          </p>
        ) : null}
      </div>
      {thread && permissions ? (
        <ThreadSettings thread={thread} canRename={permissions.canRename} onChange={onChange} />
      ) : null}
    </header>
  );
}
