// GET /api/attachments/{attachmentId}/thumbnail: an image's 320 px copy, for whoever may see its message.
import { attachmentRoute } from '@/app/api/_files/serve';

export const dynamic = 'force-dynamic';

export const GET = attachmentRoute('thumbnail');
