'use client';
// The conversation: messages grouped by day and by sender, older pages loaded by scrolling up
// (keeping the reader's place), a "new messages" pill instead of a jump when the reader is
// further up, delivery state (sending → sent → seen, or not sent with retry), and edit/delete
// of one's own messages.
import type { OutboxEntry } from '@/realtime/client';
import type { WireMessage } from '@/realtime/contract';
import type { WireParticipant } from '../api';
import { useNow } from '../display';
import { useTimeFormat } from '@/ui/use-time-format';
import { createdAt, itemKey, lastIsMine, listItems, placement, type Item } from './items';
import { PendingMessage } from './PendingMessage';
import { SeenStatus } from './SeenStatus';
import { StoredMessage } from './StoredMessage';
import { PLACE_AT_NEWEST, useLoadOlderOnScroll, useScrollAnchor } from './use-scroll-anchor';

interface Props {
  viewerId: string;
  threadType: 'DIRECT' | 'CLASS';
  messages: WireMessage[];
  pending: readonly OutboxEntry[];
  participants: WireParticipant[];
  canModerate: boolean;
  online: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: string | null;
  onLoadOlder(): void;
  onRetry(clientMessageId: string): void;
  onDiscard(clientMessageId: string): void;
  onEdit(messageId: string, content: string): Promise<void>;
  onDelete(messageId: string): Promise<void>;
  /** The reader is at the bottom (reading the newest messages) or not. */
  onAtBottomChange(atBottom: boolean): void;
  /** Server-rendered: the page's script nonce, for PLACE_AT_NEWEST (see use-scroll-anchor.ts). */
  anchorNonce?: string;
}

export function MessageList(props: Props) {
  const { messages, pending, viewerId, hasOlder, loadingOlder, onLoadOlder } = props;
  const items = listItems(messages, pending);
  const firstId = messages[0]?.id ?? null;
  const lastSeq = messages[messages.length - 1]?.seq ?? 0;
  const { scroller, onScroll, toBottom, atBottom, leftAtSeq } = useScrollAnchor({
    firstId,
    lastKey: items.length ? itemKey(items[items.length - 1]!) : null,
    lastIsMine: lastIsMine(items, viewerId),
    lastSeq,
    onAtBottomChange: props.onAtBottomChange,
  });
  const topSentinel = useLoadOlderOnScroll({ scroller, hasOlder, loadingOlder, onLoadOlder, firstId });

  const unseen = atBottom ? 0 : messages.filter((m) => m.seq > leftAtSeq && m.senderId !== viewerId).length;

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scroller}
        onScroll={onScroll}
        tabIndex={0}
        role="region"
        aria-label="Messages"
        data-testid="message-scroller"
        className="h-full overflow-y-auto overscroll-contain px-3 py-4 outline-offset-[-2px] sm:px-5"
      >
        <div ref={topSentinel} aria-hidden="true" className="h-px" />
        <ConversationStart
          hasOlder={hasOlder}
          loadingOlder={loadingOlder}
          olderError={props.olderError}
          empty={messages.length === 0}
          onLoadOlder={onLoadOlder}
        />
        <MessageItems {...props} items={items} />
        {props.anchorNonce ? (
          <script
            nonce={props.anchorNonce}
            // The browser hides a nonce from the DOM once it is used; React must not mind.
            suppressHydrationWarning
            dangerouslySetInnerHTML={{ __html: PLACE_AT_NEWEST }}
          />
        ) : null}
      </div>
      {unseen > 0 ? <NewMessagesPill unseen={unseen} onClick={toBottom} /> : null}
    </div>
  );
}

/** Above the oldest message shown: a way to read older ones, or the start of the conversation. */
function ConversationStart({
  hasOlder,
  loadingOlder,
  olderError,
  empty,
  onLoadOlder,
}: {
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: string | null;
  empty: boolean;
  onLoadOlder(): void;
}) {
  if (hasOlder) {
    return (
      <div className="mb-4 text-center">
        <button
          type="button"
          onClick={onLoadOlder}
          disabled={loadingOlder}
          className="rounded-full border border-slate-300 bg-white px-3 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:text-slate-500"
        >
          {loadingOlder ? 'Loading older messages…' : 'Load older messages'}
        </button>
        {olderError ? (
          <p role="alert" className="mt-2 text-xs text-red-700">
            {olderError}
          </p>
        ) : null}
      </div>
    );
  }
  return empty ? null : (
    <p className="mb-4 text-center text-xs text-slate-500">This is the beginning of the conversation.</p>
  );
}

function MessageItems({ items, ...props }: Props & { items: Item[] }) {
  const { viewerId, pending } = props;
  const now = useNow();
  const dates = useTimeFormat();
  // "Sent" / "Seen" goes under the viewer's newest message, once nothing of theirs is pending.
  const myLast = [...props.messages].reverse().find((m) => m.senderId === viewerId && !m.deletedAt);
  return (
    <ol className="space-y-0.5" data-testid="message-list">
      {items.map((item, i) => {
        const { newDay, grouped } = placement(items[i - 1], item, viewerId, dates);
        return (
          <li key={itemKey(item)} className={grouped ? '' : 'pt-3'}>
            {newDay ? <DaySeparator label={dates.dayLabel(createdAt(item), now)} /> : null}
            {item.kind === 'stored' ? (
              <StoredMessage
                message={item.message}
                grouped={grouped}
                mine={item.message.senderId === viewerId}
                canDelete={item.message.senderId === viewerId || props.canModerate}
                status={
                  item.message.id === myLast?.id && !pending.length ? (
                    <SeenStatus
                      message={item.message}
                      viewerId={viewerId}
                      threadType={props.threadType}
                      participants={props.participants}
                    />
                  ) : null
                }
                onEdit={props.onEdit}
                onDelete={props.onDelete}
              />
            ) : (
              <PendingMessage
                entry={item.entry}
                grouped={grouped}
                online={props.online}
                onRetry={props.onRetry}
                onDiscard={props.onDiscard}
              />
            )}
          </li>
        );
      })}
    </ol>
  );
}

function DaySeparator({ label }: { label: string }) {
  return (
    <div className="my-3 flex items-center gap-3" role="presentation">
      <span className="h-px flex-1 bg-slate-200" />
      <span className="text-xs font-semibold text-slate-600">{label}</span>
      <span className="h-px flex-1 bg-slate-200" />
    </div>
  );
}

function NewMessagesPill({ unseen, onClick }: { unseen: number; onClick(): void }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className="absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full bg-brand-700 px-4 py-1.5 text-sm font-semibold text-white shadow-lg hover:bg-brand-800"
    >
      {unseen === 1 ? '1 new message' : `${unseen} new messages`} ↓
    </button>
  );
}
