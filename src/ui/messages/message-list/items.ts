// The conversation as one list: the stored messages, then what the outbox still holds for this
// thread. How an item is keyed, dated and attributed, and when it joins the group above it.
import type { OutboxEntry } from '@/realtime/client';
import type { WireMessage } from '@/realtime/contract';
import type { TimeFormat } from '@/ui/time-format';
import { GROUP_GAP_MS } from '../display';

export type Item = { kind: 'stored'; message: WireMessage } | { kind: 'pending'; entry: OutboxEntry };

export function listItems(messages: WireMessage[], pending: readonly OutboxEntry[]): Item[] {
  return [
    ...messages.map((message) => ({ kind: 'stored' as const, message })),
    ...pending.map((entry) => ({ kind: 'pending' as const, entry })),
  ];
}

export function itemKey(item: Item): string {
  return item.kind === 'stored' ? item.message.id : `pending:${item.entry.clientMessageId}`;
}

export function createdAt(item: Item): string {
  return item.kind === 'stored' ? item.message.createdAt : new Date(item.entry.queuedAt).toISOString();
}

function senderOf(item: Item, viewerId: string): string {
  return item.kind === 'stored' ? item.message.senderId : viewerId;
}

/** The last item is the viewer's own (sent or still pending): adding it scrolls to the bottom. */
export function lastIsMine(items: Item[], viewerId: string): boolean {
  const last = items[items.length - 1];
  if (!last) return false;
  return last.kind === 'pending' || last.message.senderId === viewerId;
}

/** Where `item` stands after `before`: on a new day (a separator above it), or grouped under the
 *  same sender's header when close enough in time and the one before is not deleted. */
export function placement(
  before: Item | undefined,
  item: Item,
  viewerId: string,
  dates: Pick<TimeFormat, 'dayKey'>,
): { newDay: boolean; grouped: boolean } {
  const at = createdAt(item);
  const newDay = !before || dates.dayKey(createdAt(before)) !== dates.dayKey(at);
  const grouped =
    !newDay &&
    before !== undefined &&
    senderOf(before, viewerId) === senderOf(item, viewerId) &&
    new Date(at).getTime() - new Date(createdAt(before)).getTime() < GROUP_GAP_MS &&
    !(before.kind === 'stored' && before.message.deletedAt);
  return { newDay, grouped };
}
