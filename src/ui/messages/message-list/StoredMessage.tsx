'use client';
// One stored message: avatar and header (unless grouped under the one before), the bubble (or
// its edit box), the delete confirmation, its delivery status, and the edit and delete buttons:
// beside the bubble on a desktop, on a line of their own under it on a phone or touch screen
// (the `compact` variant, globals.css), where room beside it would be taken from the bubble.
import type { ReactNode } from 'react';
import type { WireMessage } from '@/realtime/contract';
import { useTimeFormat } from '@/ui/use-time-format';
import { avatarTone, initials } from '../display';
import { Icon } from '../Icon';
import { MessageContent } from '../MessageContent';
import { Attachments } from './Attachments';
import { ConfirmDelete, EditForm } from './EditControls';
import { useMessageEdit } from './use-message-edit';
import { DiscussionButtons, EditedHistory, ReactionBar, ReplyQuote, useDiscussion } from './discussion';

export function StoredMessage({
  message: m,
  grouped,
  mine,
  canDelete,
  status,
  onEdit,
  onDelete,
}: {
  message: WireMessage;
  grouped: boolean;
  mine: boolean;
  canDelete: boolean;
  status: ReactNode;
  onEdit(messageId: string, content: string): Promise<void>;
  onDelete(messageId: string): Promise<void>;
}) {
  const edit = useMessageEdit({ messageId: m.id, content: m.content, onEdit, onDelete });
  const deleted = m.deletedAt !== null || m.content === null;
  const time = useTimeFormat().clock(m.createdAt);
  const discussion = useDiscussion();
  const mentionsMe = !!discussion && m.mentions.includes(discussion.viewerId);

  return (
    <div
      data-message-id={m.id}
      data-seq={m.seq}
      // A search result opened here is marked for a moment (use-focus-message.ts sets the attribute).
      className={`group flex gap-2 rounded-lg transition-colors duration-700 compact:flex-wrap compact:gap-y-0 data-[highlighted=true]:bg-amber-100 data-[highlighted=true]:ring-2 data-[highlighted=true]:ring-amber-400 ${mine ? 'flex-row-reverse' : ''}`}
    >
      {mine ? null : grouped ? (
        <span className="w-8 shrink-0" />
      ) : (
        <Avatar id={m.senderId} name={m.senderName} />
      )}
      <div
        className={`flex min-w-0 max-w-[85%] flex-col sm:max-w-[75%] ${mine ? 'items-end' : 'items-start'}`}
      >
        {grouped ? null : <MessageHeader message={m} mine={mine} time={time} />}
        {edit.mode === 'edit' ? (
          <EditForm messageId={m.id} edit={edit} />
        ) : (
          <MessageBubble
            message={m}
            mine={mine}
            grouped={grouped}
            deleted={deleted}
            time={time}
            mentionsMe={mentionsMe}
          />
        )}
        {deleted ? null : <ReactionBar message={m} />}
        {edit.mode === 'confirm-delete' ? <ConfirmDelete edit={edit} /> : null}
        {edit.error ? (
          <p role="alert" className="mt-1 text-xs text-red-700">
            {edit.error}
          </p>
        ) : null}
        {status}
      </div>
      {!deleted && edit.mode === 'view' ? (
        <MessageActions
          message={m}
          mine={mine}
          canDelete={canDelete}
          time={time}
          onEdit={edit.startEdit}
          onDelete={edit.confirmDelete}
        />
      ) : null}
    </div>
  );
}

function Avatar({ id, name }: { id: string; name: string }) {
  return (
    <span
      aria-hidden="true"
      className={`flex size-8 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${avatarTone(id)}`}
    >
      {initials(name)}
    </span>
  );
}

/** Who wrote it and when, above the first message of a group. */
function MessageHeader({ message: m, mine, time }: { message: WireMessage; mine: boolean; time: string }) {
  const dates = useTimeFormat();
  return (
    <p
      className={`mb-0.5 flex items-baseline gap-2 text-xs text-slate-600 ${mine ? 'flex-row-reverse' : ''}`}
    >
      <span className="min-w-0 truncate font-semibold text-slate-800">{mine ? 'You' : m.senderName}</span>
      {!mine && m.senderRole !== 'STUDENT' ? <span className="text-brand-700">Instructor</span> : null}
      <time className="shrink-0 whitespace-nowrap" dateTime={m.createdAt} title={dates.full(m.createdAt)}>
        {time}
      </time>
    </p>
  );
}

function MessageBubble({
  message: m,
  mine,
  grouped,
  deleted,
  time,
  mentionsMe,
}: {
  message: WireMessage;
  mine: boolean;
  grouped: boolean;
  deleted: boolean;
  time: string;
  mentionsMe: boolean;
}) {
  return (
    <div
      data-testid="message-bubble"
      data-mentions-me={mentionsMe || undefined}
      // max-w-full: a reply's quote is one truncated line, and without a cap its full width would
      // widen the bubble past the screen on a phone.
      className={`max-w-full rounded-2xl px-3.5 py-2 text-sm ${mentionsMe ? 'ring-2 ring-amber-400' : ''} ${
        deleted
          ? 'border border-dashed border-slate-300 bg-white text-slate-600 italic'
          : mine
            ? 'rounded-tr-md bg-brand-700 text-white'
            : 'rounded-tl-md bg-slate-100 text-slate-900'
      } ${grouped ? (mine ? 'rounded-tr-2xl' : 'rounded-tl-2xl') : ''}`}
    >
      {deleted ? (
        <p>This message was deleted.</p>
      ) : (
        <>
          <ReplyQuote message={m} mine={mine} />
          {m.content ? <MessageContent text={m.content} own={mine} /> : null}
          {m.attachments.length > 0 ? <Attachments attachments={m.attachments} own={mine} /> : null}
        </>
      )}
      {/* A grouped message has no header: screen readers still hear who wrote it and when. */}
      {grouped ? (
        <span className="sr-only">
          , {mine ? 'you' : m.senderName}, {time}
        </span>
      ) : null}
      {mentionsMe ? <span className="sr-only">, mentions you</span> : null}
      {m.editedAt && !deleted ? <EditedHistory message={m} mine={mine} /> : null}
    </div>
  );
}

/**
 * Edit (one's own) and delete (one's own, or anyone's for a moderator), shown on hover or focus.
 * Compact, they take a line of their own (the message's row wraps), under the bubble's edge: the
 * right for one's own, else the left, past the avatar's column.
 */
function MessageActions({
  message: m,
  mine,
  canDelete,
  time,
  onEdit,
  onDelete,
}: {
  message: WireMessage;
  mine: boolean;
  canDelete: boolean;
  time: string;
  onEdit(): void;
  onDelete(): void;
}) {
  return (
    <div
      data-testid="message-actions"
      className={`flex shrink-0 items-start gap-1 self-center opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 compact:basis-full compact:self-auto compact:opacity-100 ${mine ? 'compact:justify-end' : 'compact:pl-10'}`}
    >
      <DiscussionButtons
        message={m}
        mine={mine}
        label={mine ? `your message from ${time}` : `${m.senderName}’s message from ${time}`}
      />
      {mine ? (
        <IconButton
          label={`Edit your message from ${time}`}
          icon={EDIT_ICON}
          className="rounded-md p-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900"
          onClick={onEdit}
        />
      ) : null}
      {canDelete ? (
        <IconButton
          label={mine ? `Delete your message from ${time}` : `Delete ${m.senderName}’s message from ${time}`}
          icon={DELETE_ICON}
          className="rounded-md p-1 text-slate-600 hover:bg-red-50 hover:text-red-700"
          onClick={onDelete}
        />
      ) : null}
    </div>
  );
}

const EDIT_ICON =
  'M13.6 2.6a2 2 0 0 1 2.8 0l1 1a2 2 0 0 1 0 2.8l-9.2 9.2-4.1 1.1a.8.8 0 0 1-1-1l1.1-4.1 9.4-9Z';
const DELETE_ICON =
  'M8 2a1 1 0 0 0-1 1v1H4a1 1 0 0 0 0 2h12a1 1 0 1 0 0-2h-3V3a1 1 0 0 0-1-1H8Zm-3 6h10l-.8 9.1A1 1 0 0 1 13.2 18H6.8a1 1 0 0 1-1-.9L5 8Z';

/** A button that is only an icon (a path in a 20×20 box); its label is for screen readers. */
function IconButton({
  label,
  icon,
  className,
  onClick,
}: {
  label: string;
  icon: string;
  className: string;
  onClick(): void;
}) {
  return (
    <button type="button" onClick={onClick} aria-label={label} className={className}>
      <Icon path={icon} />
    </button>
  );
}
