// GET /api/attachments/{id} and its thumbnail: authenticate, ask the files domain (which authorises
// by the message's thread), and stream the answer with the file headers. Any signed-in role.
import { requireApiUser } from '@/auth/session';
import { openAttachment, attachmentNotFound, type TAttachmentVariant } from '@/files/open-attachment';
import { ZId } from '@/messaging/ids';
import { fileResponse } from '@/platform/file-response';
import { route } from '@/platform/http';
import { getAppServices } from '@/server/services';

type Ctx = { params: Promise<Record<string, string | string[] | undefined>> };

export function attachmentRoute(variant: TAttachmentVariant) {
  return route(async (req: Request, ctx: Ctx) => {
    const svc = await getAppServices();
    const user = await requireApiUser(svc.auth, req.headers);
    const id = ZId.safeParse((await ctx.params).attachmentId);
    if (!id.success) throw attachmentNotFound();
    const file = await openAttachment(svc, { userId: user.id, attachmentId: id.data, variant });
    return fileResponse(req, {
      size: file.size,
      contentType: file.contentType,
      etag: file.etag,
      filename: file.upload.filename,
      inline: file.inline,
      open: file.open,
    });
  });
}
