// The files API of both areas: the upload (multipart, streamed), the Materials list, and an
// instructor's "Share with a class". Each parses, calls one domain function of src/files/, and maps.
import { z } from 'zod';
import { ZAttachment, ZMessage } from '@/messaging/dto';
import { FILE_ERRORS } from '@/files/errors';
import { UPLOAD_FIELD } from '@/files/limits';
import { listMaterials, ZListMaterialsQuery, ZMaterialPage } from '@/files/list-materials';
import { shareMaterial, ZShareMaterialInput } from '@/files/share-material';
import { uploadFile } from '@/files/upload-file';
import { readUploadedFile } from '@/platform/multipart';
import { defineOperation, type Operation } from '@/server/operation';

const error = (name: keyof typeof FILE_ERRORS) => ({ ...FILE_ERRORS[name] });

const uploadOp = defineOperation({
  method: 'POST',
  path: '/attachments',
  summary: 'Upload a file to attach to a message (multipart, streamed)',
  description:
    'The file is yours and unattached until a send names its id in attachmentIds; unsent uploads expire ' +
    'after 24 hours. Its type is decided by its bytes. Images are re-encoded (EXIF removed) with a ' +
    'thumbnail and their width and height.',
  upload: { field: UPLOAD_FIELD, description: 'The file; its name is kept for display and downloads' },
  response: ZAttachment,
  status: 201,
  errors: [
    error('PAYLOAD_TOO_LARGE'),
    error('QUOTA_EXCEEDED'),
    error('UNSUPPORTED_FILE_TYPE'),
    error('EMPTY_FILE'),
    error('NO_FILE'),
  ],
  handle: async ({ req, ctx, user }) => {
    const file = await readUploadedFile(req, UPLOAD_FIELD);
    return {
      data: await uploadFile(ctx, { userId: user.id, filename: file.filename, body: file.stream }),
      status: 201,
    };
  },
});

const listMaterialsOp = defineOperation({
  method: 'GET',
  path: '/materials',
  summary: 'Files shared in the caller’s class threads, newest first',
  description: 'Filters: classId, type (image, pdf, document, …), q (name). Keyset cursor in nextCursor.',
  query: ZListMaterialsQuery,
  response: ZMaterialPage,
  errors: [],
  handle: async ({ ctx, user, query }) => ({ data: await listMaterials(ctx, { userId: user.id, query }) }),
});

const ZSharedMaterial = z.object({ threadId: z.string(), message: ZMessage }).meta({ id: 'SharedMaterial' });

const shareMaterialOp = defineOperation({
  method: 'POST',
  path: '/materials',
  summary: 'Share uploaded files with a class, in its materials announcement',
  description: 'Posts the files (with an optional note) in the class’s “Class materials” announcement.',
  body: ZShareMaterialInput,
  response: ZSharedMaterial,
  status: 201,
  errors: [
    { status: 404, code: 'NOT_FOUND', when: 'the class is not yours, or a file is not your unsent upload' },
    {
      status: 403,
      code: 'NOT_PRIMARY_INSTRUCTOR',
      when: 'you teach the class but are not its primary instructor',
    },
    { status: 429, code: 'RATE_LIMITED', when: 'more messages in a minute than the send limit' },
  ],
  handle: async ({ ctx, user, body }) => ({
    data: await shareMaterial(ctx, { userId: user.id, input: body }),
    status: 201,
  }),
});

export const FILE_OPERATIONS: { instructor: Operation[]; student: Operation[] } = {
  instructor: [uploadOp, listMaterialsOp, shareMaterialOp] as Operation[],
  student: [uploadOp, listMaterialsOp] as Operation[],
};
