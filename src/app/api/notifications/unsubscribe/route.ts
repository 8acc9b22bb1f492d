// The unsubscribe link of notification emails, which needs no sign-in: GET shows a page with one
// button (a mail scanner that follows links must not unsubscribe anyone), POST turns the email
// digest off — from that button, or from a mail client's one-click unsubscribe (RFC 8058, which
// posts `List-Unsubscribe=One-Click` from anywhere, so no same-origin check here).
import { escapeHtml } from '@/notifications/html';
import { unsubscribeEmail, verifyUnsubscribeToken } from '@/notifications/unsubscribe';
import { AppError } from '@/platform/errors';
import { route } from '@/platform/http';
import { getAppServices } from '@/server/services';

export const dynamic = 'force-dynamic';

function page(title: string, body: string, status = 200): Response {
  return new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>` +
      `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem"><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
    { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } },
  );
}

function tokenOf(req: Request): string {
  const token = new URL(req.url).searchParams.get('token');
  if (!token) throw new AppError('INVALID_TOKEN', 'This unsubscribe link is not valid.', { status: 400 });
  return token;
}

export const GET = route(async (req: Request) => {
  const { notifications } = await getAppServices();
  const token = tokenOf(req);
  verifyUnsubscribeToken(notifications.secret, token);
  return page(
    'Unsubscribe from email notifications',
    `<p>You will no longer get emails about unread messages. You can turn them on again in Settings.</p>` +
      `<form method="post" action="?token=${escapeHtml(encodeURIComponent(token))}"><button type="submit">Unsubscribe</button></form>`,
  );
});

export const POST = route(async (req: Request) => {
  const services = await getAppServices();
  const { email } = await unsubscribeEmail(
    { db: services.db, secret: services.notifications.secret },
    { token: tokenOf(req) },
  );
  if ((req.headers.get('accept') ?? '').includes('application/json'))
    return Response.json({ data: { unsubscribed: true } });
  return page('Unsubscribed', `<p>${escapeHtml(email)} will no longer get emails about unread messages.</p>`);
});
