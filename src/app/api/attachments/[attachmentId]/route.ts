// GET /api/attachments/{attachmentId}: a file, for whoever may see its message (src/files/open-attachment.ts).
import { attachmentRoute } from '@/app/api/_files/serve';

export const dynamic = 'force-dynamic';

export const GET = attachmentRoute('original');
