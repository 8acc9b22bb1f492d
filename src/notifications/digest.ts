// The email digest: one email listing the threads with unread messages, each with its count, its
// latest lines and a link. Plain text plus HTML; the HTML is built by escaping (html.ts), never by
// pasting message text into markup.
import { html, type Html } from './html';
import type { TPendingItem } from './pending';

export interface TDigestThread {
  threadId: string;
  title: string;
  url: string;
  count: number;
  urgent: boolean;
  /** The newest lines, oldest first. */
  latest: Array<{ sender: string; text: string }>;
}

export interface TDigest {
  subject: string;
  text: string;
  html: string;
}

/** Lines shown per thread, and characters per line. */
const LINES = 3;
const LINE_CHARS = 200;

export function groupByThread(items: TPendingItem[], urlOf: (threadId: string) => string): TDigestThread[] {
  const threads = new Map<string, TDigestThread & { items: TPendingItem[] }>();
  for (const item of items) {
    let t = threads.get(item.threadId);
    if (!t) {
      t = {
        threadId: item.threadId,
        title: item.threadTitle,
        url: urlOf(item.threadId),
        count: 0,
        urgent: false,
        latest: [],
        items: [],
      };
      threads.set(item.threadId, t);
    }
    t.count++;
    t.urgent ||= item.urgent;
    t.items.push(item);
  }
  return [...threads.values()].map(({ items: its, ...t }) => ({
    ...t,
    latest: its.slice(-LINES).map((i) => ({ sender: i.senderName, text: clip(i.content) })),
  }));
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > LINE_CHARS ? `${oneLine.slice(0, LINE_CHARS - 1)}…` : oneLine || '(attachment)';
}

export function buildDigest(opts: {
  recipientName: string;
  threads: TDigestThread[];
  previews: boolean;
  unsubscribeUrl: string;
  settingsUrl: string;
}): TDigest {
  const total = opts.threads.reduce((n, t) => n + t.count, 0);
  const urgent = opts.threads.some((t) => t.urgent);
  const subject =
    (urgent ? 'Urgent: ' : '') +
    (opts.threads.length === 1
      ? `${total} new ${total === 1 ? 'message' : 'messages'} in ${opts.threads[0]!.title}`
      : `${total} new messages in ${opts.threads.length} conversations`);
  const lines = [
    `Hello ${opts.recipientName},`,
    '',
    `You have ${total} unread ${total === 1 ? 'message' : 'messages'}:`,
    '',
  ];
  for (const t of opts.threads) {
    lines.push(`${t.urgent ? '[Urgent] ' : ''}${t.title} (${t.count} new)`);
    if (opts.previews) for (const l of t.latest) lines.push(`  ${l.sender}: ${l.text}`);
    lines.push(`  Open: ${t.url}`, '');
  }
  lines.push(
    `Notification settings: ${opts.settingsUrl}`,
    `Unsubscribe from these emails: ${opts.unsubscribeUrl}`,
  );

  const threadBlocks: Html[] = opts.threads.map(
    (t) =>
      html`<tr>
        <td style="padding:12px 0;border-bottom:1px solid #e2e8f0">
          <p style="margin:0 0 4px;font-weight:600">
            ${t.urgent ? 'Urgent · ' : ''}<a href="${t.url}" style="color:#1d4ed8">${t.title}</a>
            <span style="color:#64748b;font-weight:400">(${t.count} new)</span>
          </p>
          ${opts.previews ? t.latest.map((l) => html`<p style="margin:2px 0;color:#334155"><strong>${l.sender}:</strong> ${l.text}</p>`) : []}
        </td>
      </tr>`,
  );
  const body = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${subject}</title>
      </head>
      <body style="font-family:system-ui,sans-serif;color:#0f172a;max-width:600px;margin:0 auto;padding:16px">
        <p>Hello ${opts.recipientName},</p>
        <p>You have ${total} unread ${total === 1 ? 'message' : 'messages'}:</p>
        <table role="presentation" style="width:100%;border-collapse:collapse">
          ${threadBlocks}
        </table>
        <p style="font-size:12px;color:#64748b;margin-top:24px">
          <a href="${opts.settingsUrl}">Notification settings</a> ·
          <a href="${opts.unsubscribeUrl}">Unsubscribe from these emails</a>
        </p>
      </body>
    </html>`;
  return { subject, text: lines.join('\n'), html: body.value };
}
