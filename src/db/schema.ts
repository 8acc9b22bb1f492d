// The database schema. Table names follow the implementation guide (message_threads, messages, …);
// users/sessions/accounts/verifications are better-auth's tables, with our `role` on users.
import { getTableColumns, sql } from 'drizzle-orm';
import {
  bigint,
  type AnyPgColumn,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

// Millisecond precision everywhere: a JS Date round-trips exactly, so keyset cursors built from
// (created_at, id) never skip or repeat a row because of truncated microseconds.
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const id = () =>
  text('id')
    .primaryKey()
    .default(sql`gen_random_uuid()::text`)
    .$defaultFn(() => crypto.randomUUID());

/** Postgres full-text documents; only SQL reads them (search-messages.ts), never the app's rows. */
const tsvector = customType<{ data: string; driverData: string }>({ dataType: () => 'tsvector' });

export const userRole = pgEnum('user_role', ['INSTRUCTOR', 'STUDENT', 'ADMIN']);
export const threadType = pgEnum('ThreadType', ['DIRECT', 'CLASS']);

// ---- auth (better-auth) -------------------------------------------------------------------------

export const users = pgTable(
  'users',
  {
    id: id(),
    name: text('name').notNull(),
    email: text('email').notNull().unique(),
    emailVerified: boolean('email_verified').notNull().default(false),
    image: text('image'),
    role: userRole('role').notNull().default('STUDENT'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('idx_users_role_name').on(t.role, t.name)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    token: text('token').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: ts('expires_at').notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('idx_sessions_user').on(t.userId)],
);

export const accounts = pgTable(
  'accounts',
  {
    id: id(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: ts('access_token_expires_at'),
    refreshTokenExpiresAt: ts('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('idx_accounts_user').on(t.userId)],
);

export const verifications = pgTable(
  'verifications',
  {
    id: id(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: ts('expires_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('idx_verifications_identifier').on(t.identifier)],
);

// ---- classes (assumed by the guide) -------------------------------------------------------------

export const classes = pgTable('classes', {
  id: id(),
  name: text('name').notNull(),
  code: text('code').notNull().unique(),
  description: text('description'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const classInstructors = pgTable(
  'class_instructors',
  {
    id: id(),
    classId: text('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    instructorId: text('instructor_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    isPrimary: boolean('is_primary').notNull().default(false),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('uq_class_instructors_class_instructor').on(t.classId, t.instructorId),
    index('idx_class_instructors_instructor').on(t.instructorId, t.classId),
  ],
);

export const classEnrollments = pgTable(
  'class_enrollments',
  {
    id: id(),
    classId: text('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    studentId: text('student_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    enrolledAt: ts('enrolled_at').notNull().defaultNow(),
    /** Set when the student leaves; a re-enrollment clears it. */
    leftAt: ts('left_at'),
  },
  (t) => [
    uniqueIndex('uq_class_enrollments_class_student').on(t.classId, t.studentId),
    index('idx_class_enrollments_student').on(t.studentId, t.classId),
  ],
);

// ---- messaging (the guide's Phase 1) ------------------------------------------------------------

export const messageThreads = pgTable(
  'message_threads',
  {
    id: id(),
    type: threadType('type').notNull(),
    classId: text('class_id').references(() => classes.id, { onDelete: 'cascade' }),
    createdById: text('created_by_id')
      .notNull()
      .references(() => users.id),
    title: text('title'),
    /** CLASS threads: false = announcement (students read only), true = discussion. */
    studentsCanReply: boolean('students_can_reply').notNull().default(true),
    /** DIRECT threads: the two user ids sorted and joined, so a pair can have only one thread. */
    directKey: text('direct_key').unique(),
    /** Per-thread message counter, bumped under the thread's row lock: order within a thread is commit order. */
    lastMessageSeq: bigint('last_message_seq', { mode: 'number' }).notNull().default(0),
    lastMessageAt: ts('last_message_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at')
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    index('idx_threads_class').on(t.classId),
    check(
      'chk_thread_type_fields',
      sql`(${t.type} = 'CLASS' AND ${t.classId} IS NOT NULL AND ${t.directKey} IS NULL) OR (${t.type} = 'DIRECT' AND ${t.directKey} IS NOT NULL)`,
    ),
  ],
);

export const messageParticipants = pgTable(
  'message_participants',
  {
    id: id(),
    threadId: text('thread_id')
      .notNull()
      .references(() => messageThreads.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    joinedAt: ts('joined_at').notNull().defaultNow(),
    leftAt: ts('left_at'),
    muted: boolean('muted').notNull().default(false),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    /** The read pointer: everything up to this per-thread sequence number is read. */
    lastReadSeq: bigint('last_read_seq', { mode: 'number' }).notNull().default(0),
    lastReadMessageId: text('last_read_message_id'),
    lastReadAt: ts('last_read_at'),
    /** Archive is per participant: hides the thread from this user's default list only. */
    archivedAt: ts('archived_at'),
    /**
     * The thread's activity (its last message's time, else its creation), copied onto every
     * participant row by the send that moves it, so a user's thread list is a keyset walk of
     * idx_participants_user_activity that stops at the page instead of sorting all their threads.
     */
    activityAt: ts('activity_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('uq_message_participants_thread_user').on(t.threadId, t.userId),
    index('idx_participants_user_thread').on(t.userId, t.threadId),
    index('idx_participants_user_activity').on(t.userId, t.activityAt, t.threadId),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: id(),
    threadId: text('thread_id')
      .notNull()
      .references(() => messageThreads.id, { onDelete: 'cascade' }),
    senderId: text('sender_id')
      .notNull()
      .references(() => users.id),
    content: text('content').notNull(),
    /** Position in the thread, from message_threads.last_message_seq (1, 2, 3, …). */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    /** The sender's idempotency key: a retried send finds the original instead of inserting again. */
    clientMessageId: text('client_message_id'),
    /** The message this one replies to (CLASS discussions): always a message of the same thread. */
    replyToId: text('reply_to_id'),
    /** Bumped by every change after the send (edit, delete, reaction): of two copies, the higher is newer. */
    version: integer('version').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    editedAt: ts('edited_at'),
    deletedAt: ts('deleted_at'),
    /** An announcement its instructor marked urgent: its email skips NOTIFY_EMAIL_DELAY (never quiet hours). */
    urgent: boolean('urgent').notNull().default(false),
    /**
     * The guide's full-text index on content, kept by Postgres: English stems ("grades" finds
     * "graded"), each marked with a leading `~` (cm_english_lexemes, migration 0018), followed by
     * the `simple` words (names, codes and other languages match exactly). The mark keeps the stems
     * apart from the words, so a prefix (search as you type) reads the words' posting lists only,
     * not the stems' as well. Generated, so an edit replaces the words that find a message in the
     * same write.
     */
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`cm_english_lexemes(content) || to_tsvector('simple'::regconfig, content)`,
    ),
  },
  (t) => [
    // The guide's idx_messages_thread_created, extended with id for the keyset cursor (created_at, id).
    // Search ANDs the GIN index's matches with the caller's threads in one age band at a time
    // (search-messages.ts): this index gives that bitmap for the band's range alone.
    index('idx_messages_thread_created').on(t.threadId, t.createdAt, t.id),
    uniqueIndex('uq_messages_thread_seq').on(t.threadId, t.seq),
    uniqueIndex('uq_messages_sender_client_key').on(t.senderId, t.clientMessageId),
    // fastupdate off: with the default pending list, every few thousand sends one unlucky insert
    // merged the whole list into the index, a 150–200 ms send (bench:realtime's latency tail).
    index('idx_messages_search').using('gin', t.searchVector).with({ fastupdate: false }),
    // Unread counts (messaging/count-unread.ts) are the thread's last seq minus the pointer, less
    // the reader's own and the deleted messages after the pointer, read from these two: flat
    // however far behind the reader is.
    index('idx_messages_thread_sender_seq').on(t.threadId, t.senderId, t.seq),
    index('idx_messages_thread_deleted_seq')
      .on(t.threadId, t.seq)
      .where(sql`${t.deletedAt} is not null`),
  ],
);

/**
 * A message row as the app reads it: every column but the search vector, which is as large as the
 * text and only ever read inside search's SQL. Select and return these rather than the whole table.
 */
export const messageColumns = (() => {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { searchVector, ...columns } = getTableColumns(messages);
  return columns;
})();

export const messageReadReceipts = pgTable(
  'message_read_receipts',
  {
    id: id(),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    readAt: ts('read_at').notNull().defaultNow(),
  },
  // The guide's index, made unique: it is also the guide's @@unique([messageId, userId]).
  (t) => [uniqueIndex('idx_read_receipts_message_user').on(t.messageId, t.userId)],
);

/**
 * A stored file, owned by its uploader (src/files/). Unattached (`message_id` null) until a send
 * names it; the send sets `message_id` with a guarded update, so one upload joins one message only.
 * Unattached uploads expire after a day. `storage_key` is random: the user's name never reaches
 * the store. A file sent individually (send-individually.ts) has one row per recipient's message,
 * copies sharing `storage_key`: the bytes are stored once and removed with their last row.
 */
export const uploads = pgTable(
  'uploads',
  {
    id: id(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    messageId: text('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    storageKey: text('storage_key').notNull(),
    /** Images only: re-encoded (no EXIF), with a thumbnail and their dimensions. */
    thumbnailKey: text('thumbnail_key'),
    thumbnailSize: bigint('thumbnail_size', { mode: 'number' }),
    width: integer('width'),
    height: integer('height'),
    createdAt: ts('created_at').notNull().defaultNow(),
    attachedAt: ts('attached_at'),
    /**
     * A "send individually" batch holds this upload as its template: it is no longer the sender's to
     * attach, and each recipient's message gets a copy of this row (same storage keys). It goes once
     * the batch has no recipient left to send to (expire-uploads.ts).
     */
    batchId: text('batch_id').references((): AnyPgColumn => messageBatches.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('idx_uploads_owner').on(t.ownerId),
    index('idx_uploads_batch').on(t.batchId),
    index('idx_uploads_storage_key').on(t.storageKey),
    index('idx_uploads_message').on(t.messageId),
    index('idx_uploads_unattached')
      .on(t.createdAt)
      .where(sql`${t.messageId} is null`),
  ],
);

export const messageAttachments = pgTable(
  'message_attachments',
  {
    id: id(),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    fileUrl: text('file_url').notNull(),
    fileSize: integer('file_size').notNull(),
    mimeType: text('mime_type').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** The stored file this row describes; its id is the attachment's public id. */
    uploadId: text('upload_id').references(() => uploads.id, { onDelete: 'cascade' }),
    /** Order within the message, as the sender listed them. */
    position: integer('position').notNull().default(0),
  },
  (t) => [
    index('idx_attachments_message').on(t.messageId),
    uniqueIndex('uq_attachments_upload').on(t.uploadId),
    index('idx_attachments_created').on(t.createdAt, t.id),
  ],
);

export type Upload = typeof uploads.$inferSelect;

export type User = typeof users.$inferSelect;
export type Role = (typeof userRole.enumValues)[number];
export type ThreadType = (typeof threadType.enumValues)[number];
export type Class = typeof classes.$inferSelect;
export type MessageThread = typeof messageThreads.$inferSelect;
export type Message = Omit<typeof messages.$inferSelect, 'searchVector'>;

// ---- the message change log (realtime resume) ---------------------------------------------------

/**
 * Every change to a message (created, edited, deleted). A writer appends its row with `pos` null,
 * under its thread's row lock, so within a thread `id` (insertion order) is commit order, while
 * writers in different threads share nothing. A sequencer pass (messaging/feed-sequencer.ts) later
 * gives committed rows their `pos`, in `id` order, from message_event_counter, committing positions
 * and counter together: positions are contiguous, a thread's positions follow its commit order, and
 * a reader that sees position N sees everything below it. `pos` is what clients resume from.
 * Separate from messages.seq, so an edit moves the position without making a thread unread.
 */
export const messageEvents = pgTable(
  'message_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    pos: bigint('pos', { mode: 'number' }),
    threadId: text('thread_id')
      .notNull()
      .references(() => messageThreads.id, { onDelete: 'cascade' }),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['created', 'updated', 'deleted'] }).notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('uq_message_events_pos').on(t.pos),
    index('idx_message_events_thread_pos').on(t.threadId, t.pos),
    // The sequencer's work list: small (rows wait here only until the next pass), so a pass that
    // finds nothing to do costs one index probe.
    index('idx_message_events_unpositioned')
      .on(t.id)
      .where(sql`${t.pos} is null`),
    check('chk_message_events_kind', sql`${t.kind} in ('created', 'updated', 'deleted')`),
  ],
);

/**
 * One row (id = 1): the last position handed out. Only sequencer passes (one at a time, under an
 * advisory lock) touch it; writers never do.
 */
export const messageEventCounter = pgTable(
  'message_event_counter',
  {
    id: integer('id').primaryKey(),
    pos: bigint('pos', { mode: 'number' }).notNull(),
    /**
     * Names this feed (this database). Processes on one database share it, and it keys their Redis
     * channel, so two deployments on one Redis never hear each other's positions.
     */
    feedId: text('feed_id')
      .notNull()
      .default(sql`gen_random_uuid()::text`),
    /**
     * The sequencer's scan floor: every message_events row with an id at or below it has its
     * position (or is gone), and no such row can still commit, so a pass scans above it only and
     * never walks the dead index entries of the rows it numbered before (migration 0021).
     */
    scanFrom: bigint('scan_from', { mode: 'number' }).notNull().default(0),
    /** The next floor: the last id drawn when a pass noted it, before that pass had a transaction id. */
    nextScanFrom: bigint('next_scan_from', { mode: 'number' }),
    /**
     * The noting pass's own transaction id: every writer that drew an id up to next_scan_from holds
     * a lower one, so once no transaction below it runs (pg_snapshot_xmin), the note is safe.
     */
    nextScanXid: bigint('next_scan_xid', { mode: 'number' }),
  },
  (t) => [check('chk_message_event_counter_single', sql`${t.id} = 1`)],
);

/**
 * One row (id = 1): how far the change feed has been pruned (src/messaging/prune-feed.ts). Rows of
 * message_events at or below `pruned_through` may be gone, so a client that last saw a lower
 * position cannot be caught up from the database and must reload instead. A table of its own, so
 * the feed's retention never contends with the rows that allocate positions.
 */
export const messageFeedWindow = pgTable(
  'message_feed_window',
  {
    id: integer('id').primaryKey(),
    /** The lowest position a client may still resume from; 0 before anything was pruned. */
    prunedThrough: bigint('pruned_through', { mode: 'number' }).notNull().default(0),
    prunedAt: ts('pruned_at'),
  },
  (t) => [check('chk_message_feed_window_single', sql`${t.id} = 1`)],
);

// ---- durable jobs (src/jobs/) -------------------------------------------------------------------

/**
 * A generic job queue in the database (src/jobs/queue.ts): workers claim due rows with
 * `FOR UPDATE SKIP LOCKED` and hold them for a lease; a worker killed mid-job leaves its lease to
 * expire and another claims the row again. `key` is unique for the row's whole life, so a keyed
 * job is enqueued at most once, or (schedule) is one row re-armed for each run.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    queue: text('queue').notNull(),
    key: text('key'),
    payload: jsonb('payload').notNull().default({}),
    state: text('state', { enum: ['queued', 'running', 'done', 'failed'] })
      .notNull()
      .default('queued'),
    runAt: ts('run_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(8),
    /** A keyed job asked for again while it ran: it runs once more at this time after finishing. */
    rerunAt: ts('rerun_at'),
    lockedBy: text('locked_by'),
    lockedUntil: ts('locked_until'),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
  },
  (t) => [
    uniqueIndex('uq_jobs_key').on(t.key),
    // The claim's work list: only unfinished rows, due first.
    index('idx_jobs_due')
      .on(t.queue, t.runAt)
      .where(sql`${t.state} in ('queued', 'running')`),
    check('chk_jobs_state', sql`${t.state} in ('queued', 'running', 'done', 'failed')`),
  ],
);

// ---- notifications (src/notifications/) ---------------------------------------------------------

/** One row per user who changed a default; a user without one has the defaults (notifications/preferences.ts). */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: text('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** off, digest (unread messages after NOTIFY_EMAIL_DELAY), or daily (one summary at daily_hour). */
    emailMode: text('email_mode', { enum: ['off', 'digest', 'daily'] })
      .notNull()
      .default('digest'),
    dailyHour: integer('daily_hour').notNull().default(17),
    /** Minutes after local midnight; both null: no quiet hours. */
    quietStart: integer('quiet_start'),
    quietEnd: integer('quiet_end'),
    /**
     * IANA name; used for quiet hours, the daily summary and times in the UI. Null until the user
     * saves Settings (a row made by the unsubscribe link has none): the UI then follows the browser's
     * zone, and the schedules use UTC.
     */
    timeZone: text('time_zone'),
    previews: boolean('previews').notNull().default(true),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('chk_notification_prefs_email_mode', sql`${t.emailMode} in ('off', 'digest', 'daily')`),
    check('chk_notification_prefs_daily_hour', sql`${t.dailyHour} between 0 and 23`),
    check(
      'chk_notification_prefs_quiet',
      sql`(${t.quietStart} is null and ${t.quietEnd} is null) or (${t.quietStart} between 0 and 1439 and ${t.quietEnd} between 0 and 1439 and ${t.quietStart} <> ${t.quietEnd})`,
    ),
  ],
);

/** A browser's push subscription (one per device); deleted when its push service answers 404/410. */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    endpoint: text('endpoint').notNull().unique(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('idx_push_subscriptions_user').on(t.userId)],
);

/**
 * The ledger of what each user is told: one row per (user, message, channel), unique, so nothing
 * is notified twice on a channel however many processes plan and flush. A flush job takes the
 * user's due `pending` rows and marks them sent (or skipped: read, muted, connected) with the send.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    threadId: text('thread_id')
      .notNull()
      .references(() => messageThreads.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: ['email', 'push'] }).notNull(),
    state: text('state', { enum: ['pending', 'sent', 'skipped'] })
      .notNull()
      .default('pending'),
    /** Why a row was skipped (read, muted, connected, off), for the logs and tests. */
    reason: text('reason'),
    dueAt: ts('due_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    doneAt: ts('done_at'),
  },
  (t) => [
    uniqueIndex('uq_notification_deliveries_user_message_channel').on(t.userId, t.messageId, t.channel),
    index('idx_notification_deliveries_pending')
      .on(t.userId, t.channel, t.dueAt)
      .where(sql`${t.state} = 'pending'`),
  ],
);

/** One row (id = 1): the change-feed position up to which new messages have been planned. */
export const notificationCursor = pgTable(
  'notification_cursor',
  {
    id: integer('id').primaryKey(),
    pos: bigint('pos', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('chk_notification_cursor_single', sql`${t.id} = 1`)],
);

export type NotificationPreferencesRow = typeof notificationPreferences.$inferSelect;
export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;
export type JobRow = typeof jobs.$inferSelect;

// ---- analytics rollups (src/classroom/analytics-rollup.ts) --------------------------------------

/**
 * Messages per (thread, UTC hour, staff sender): the finest analytics rollup, what a class-filtered
 * report adds up and what the per-viewer rollup is rebuilt from when someone joins or leaves a
 * thread. `staff_id` is the sender when they are not a student, '' for every student's message
 * together (the reports only ever single out staff: "sent by me" or "sent by staff"), so a busy
 * thread is at most a few rows an hour. Hourly, so a day or an hour of the week can be taken in the
 * reader's time zone. Kept by the analytics job from the change feed (created: +1, deleted: −1).
 */
export const analyticsThreadHours = pgTable(
  'analytics_thread_hours',
  {
    threadId: text('thread_id')
      .notNull()
      .references(() => messageThreads.id, { onDelete: 'cascade' }),
    hour: ts('hour').notNull(),
    staffId: text('staff_id').notNull().default(''),
    messages: integer('messages').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.hour, t.staffId] })],
);

/**
 * Messages per (viewer, UTC hour, thread type, sent by the viewer or received) over the threads the
 * viewer (a non-student) currently takes part in: an instructor's report without a class filter reads
 * at most 24 × days × 4 rows. Which threads those are is analytics_viewer_threads; the job moves a
 * thread's whole history in or out when that set changes.
 */
export const analyticsViewerHours = pgTable(
  'analytics_viewer_hours',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    hour: ts('hour').notNull(),
    threadType: threadType('thread_type').notNull(),
    sent: boolean('sent').notNull(),
    messages: integer('messages').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.hour, t.threadType, t.sent] })],
);

/** The (non-student participant, thread) pairs analytics_viewer_hours currently counts. */
export const analyticsViewerThreads = pgTable(
  'analytics_viewer_threads',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    threadId: text('thread_id')
      .notNull()
      .references(() => messageThreads.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.threadId] }),
    index('idx_analytics_viewer_threads_thread').on(t.threadId),
  ],
);

/** Messages per (UTC hour, thread type, sent by staff or by a student) across the platform: the ADMIN view. */
export const analyticsPlatformHours = pgTable(
  'analytics_platform_hours',
  {
    hour: ts('hour').notNull(),
    threadType: threadType('thread_type').notNull(),
    fromStaff: boolean('from_staff').notNull(),
    messages: integer('messages').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.hour, t.threadType, t.fromStaff] })],
);

/**
 * Student messages per (CLASS thread, UTC day, student), with the latest one's time: a class's
 * "who replied in discussions" over a range reads the range's whole days here and only its partial
 * first and last day from the messages. Kept by the analytics job like the hour rollups.
 */
export const analyticsStudentDays = pgTable(
  'analytics_student_days',
  {
    threadId: text('thread_id')
      .notNull()
      .references(() => messageThreads.id, { onDelete: 'cascade' }),
    day: ts('day').notNull(),
    studentId: text('student_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    messages: integer('messages').notNull().default(0),
    lastAt: ts('last_at'),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.day, t.studentId] })],
);

/**
 * Each student message and the first instructor (or admin) message after it in its thread: the
 * instructor response time. Unanswered while `answered_at` is null. Rebuilt per thread by the
 * analytics job whenever the thread changes.
 */
export const analyticsWaits = pgTable(
  'analytics_waits',
  {
    messageId: text('message_id')
      .primaryKey()
      .references(() => messages.id, { onDelete: 'cascade' }),
    threadId: text('thread_id')
      .notNull()
      .references(() => messageThreads.id, { onDelete: 'cascade' }),
    studentId: text('student_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    askedAt: ts('asked_at').notNull(),
    answeredAt: ts('answered_at'),
    answeredById: text('answered_by_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    // The response-time report reads (thread, range) and needs only answered_at: an index-only scan.
    index('idx_analytics_waits_thread_asked_answered').on(t.threadId, t.askedAt, t.answeredAt),
    // Unanswered messages, looked up per thread in view rather than across the platform.
    index('idx_analytics_waits_open_thread')
      .on(t.threadId, t.askedAt)
      .where(sql`${t.answeredAt} is null`),
  ],
);

/**
 * analytics_waits counted per (viewer, class, UTC hour, wait in ms; −1: unanswered): what response
 * times (median and p90 per class and week, in the reader's time zone) are taken from without
 * reading every wait. `viewer_id` '' is the whole platform; a non-student has the threads of
 * analytics_viewer_threads. `class_key` is the thread's class, '' for DIRECT conversations.
 */
export const analyticsWaitHours = pgTable(
  'analytics_wait_hours',
  {
    viewerId: text('viewer_id').notNull(),
    hour: ts('hour').notNull(),
    classKey: text('class_key').notNull(),
    waitMs: bigint('wait_ms', { mode: 'number' }).notNull(),
    waits: integer('waits').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.viewerId, t.hour, t.classKey, t.waitMs] }),
    // With the count: a report's read is an index-only scan.
    index('idx_analytics_wait_hours_counts').on(t.viewerId, t.hour, t.classKey, t.waitMs, t.waits),
  ],
);

/**
 * analytics_wait_hours summed per UTC day. A report takes a day from here when the whole day lies in
 * one of the reader's weeks and in the range, and the few other days' hours from analytics_wait_hours.
 */
export const analyticsWaitDays = pgTable(
  'analytics_wait_days',
  {
    viewerId: text('viewer_id').notNull(),
    day: ts('day').notNull(),
    classKey: text('class_key').notNull(),
    waitMs: bigint('wait_ms', { mode: 'number' }).notNull(),
    waits: integer('waits').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.viewerId, t.day, t.classKey, t.waitMs] }),
    index('idx_analytics_wait_days_counts').on(t.viewerId, t.day, t.classKey, t.waitMs, t.waits),
  ],
);

/** One row (id = 1): the change-feed position the rollups include everything up to. */
export const analyticsState = pgTable(
  'analytics_state',
  {
    id: integer('id').primaryKey(),
    throughPos: bigint('through_pos', { mode: 'number' }).notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [check('chk_analytics_state_single', sql`${t.id} = 1`)],
);

// ---- classroom tools (issue 19) -----------------------------------------------------------------

/**
 * One "send individually" action: the same text into each recipient's own DIRECT thread. Keyed by
 * the sender's client key, so a retried request finds the batch and only finishes what is left.
 * A nudge (a reminder to the non-readers of an announcement) names the announcement's thread.
 */
export const messageBatches = pgTable(
  'message_batches',
  {
    id: id(),
    senderId: text('sender_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    content: text('content').notNull(),
    clientBatchId: text('client_batch_id').notNull(),
    nudgeThreadId: text('nudge_thread_id').references(() => messageThreads.id, { onDelete: 'set null' }),
    classId: text('class_id').references(() => classes.id, { onDelete: 'set null' }),
    /** The uploads sent with the text, in the sender's order (their rows carry batch_id). */
    attachmentIds: text('attachment_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('uq_message_batches_sender_key').on(t.senderId, t.clientBatchId),
    index('idx_message_batches_sender_created').on(t.senderId, t.createdAt, t.id),
    index('idx_message_batches_nudge').on(t.nudgeThreadId),
  ],
);

/** A batch's recipients, fixed when the batch is created: sent (with the message) or skipped (why). */
export const messageBatchRecipients = pgTable(
  'message_batch_recipients',
  {
    id: id(),
    batchId: text('batch_id')
      .notNull()
      .references(() => messageBatches.id, { onDelete: 'cascade' }),
    recipientId: text('recipient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['pending', 'sent', 'skipped'] })
      .notNull()
      .default('pending'),
    skipReason: text('skip_reason'),
    threadId: text('thread_id').references(() => messageThreads.id, { onDelete: 'set null' }),
    messageId: text('message_id').references(() => messages.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('uq_batch_recipients_batch_recipient').on(t.batchId, t.recipientId),
    check('chk_batch_recipients_status', sql`${t.status} in ('pending', 'sent', 'skipped')`),
  ],
);

/** The earlier texts of an edited message, one row per edit, written by the edit's transaction. */
export const messageVersions = pgTable(
  'message_versions',
  {
    id: id(),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    content: text('content').notNull(),
    /** When this text was written: the message's creation or its previous edit. */
    writtenAt: ts('written_at').notNull(),
    replacedAt: ts('replaced_at').notNull().defaultNow(),
  },
  (t) => [index('idx_message_versions_message').on(t.messageId, t.replacedAt)],
);

/** Reactions from a fixed set: one per user per emoji per message. */
export const messageReactions = pgTable(
  'message_reactions',
  {
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    emoji: text('emoji').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('uq_message_reactions').on(t.messageId, t.emoji, t.userId)],
);

/**
 * Who a message @mentions (participants of its thread only). A participant's unread mentions are
 * the rows for them whose message is past their read pointer: nothing to reset when they read.
 */
export const messageMentions = pgTable(
  'message_mentions',
  {
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    threadId: text('thread_id')
      .notNull()
      .references(() => messageThreads.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
  },
  (t) => [
    uniqueIndex('uq_message_mentions').on(t.messageId, t.userId),
    index('idx_message_mentions_user_thread').on(t.userId, t.threadId, t.seq),
  ],
);

/**
 * A message (or a new class thread) to send at `send_at`: a durable job. A poller claims due rows
 * with FOR UPDATE SKIP LOCKED (one process per row), sends through the ordinary send path with the
 * key `scheduled.<id>`, so a row claimed again after a crash finds the message it already sent,
 * and records the outcome. Editable and cancellable while `scheduled`.
 */
export const scheduledMessages = pgTable(
  'scheduled_messages',
  {
    id: id(),
    senderId: text('sender_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** A message in this thread… */
    threadId: text('thread_id').references(() => messageThreads.id, { onDelete: 'cascade' }),
    /** …or a new CLASS thread of this class, with its title and kind. */
    classId: text('class_id').references(() => classes.id, { onDelete: 'cascade' }),
    title: text('title'),
    kind: text('kind', { enum: ['announcement', 'discussion'] }),
    content: text('content').notNull(),
    sendAt: ts('send_at').notNull(),
    /** The sender's IANA time zone, to show the time as they chose it. */
    timeZone: text('time_zone').notNull().default('UTC'),
    status: text('status', { enum: ['scheduled', 'sending', 'sent', 'cancelled', 'failed'] })
      .notNull()
      .default('scheduled'),
    failureReason: text('failure_reason'),
    claimedAt: ts('claimed_at'),
    attempts: integer('attempts').notNull().default(0),
    sentThreadId: text('sent_thread_id'),
    messageId: text('message_id').references(() => messages.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('idx_scheduled_due')
      .on(t.sendAt)
      .where(sql`${t.status} in ('scheduled', 'sending')`),
    index('idx_scheduled_sender').on(t.senderId, t.sendAt),
    check(
      'chk_scheduled_target',
      sql`(${t.threadId} is not null and ${t.classId} is null) or (${t.threadId} is null and ${t.classId} is not null and ${t.title} is not null and ${t.kind} is not null)`,
    ),
    check(
      'chk_scheduled_status',
      sql`${t.status} in ('scheduled', 'sending', 'sent', 'cancelled', 'failed')`,
    ),
  ],
);
