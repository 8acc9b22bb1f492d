// Attachments in real browsers: Jonas drops a PDF onto a Creative Writing announcement and pastes an
// image into its composer, watching each upload's progress; Caleb (a Writing student) has it open,
// sees the image's thumbnail arrive live and downloads the PDF; then the Materials pages (his and
// Jonas's) list both. Axe finds nothing serious on the conversation with files, nor on Materials,
// and the conversation fits a 390 px screen.
import type { Page } from '@playwright/test';
import { seriousViolations } from './axe';
import { expect, test } from './fixtures';
import { JONAS } from './accounts';
import {
  chat,
  classId,
  composer,
  horizontalOverflow,
  messageWith,
  openThread,
  signedIn,
} from './messaging-ui-helpers';

const CALEB = 'caleb.scott@example.edu';

/** A PDF of about `size` bytes: a real header and trailer around padding. */
function pdfBytes(size: number): number[] {
  const head = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n');
  const tail = Buffer.from('\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  const body = Buffer.alloc(Math.max(0, size - head.length - tail.length), 0x20);
  return [...Buffer.concat([head, body, tail])];
}

/** Drops files onto an element, as a drag from the desktop would. */
async function dropFile(page: Page, selector: string, file: { name: string; type: string; bytes: number[] }) {
  const data = await page.evaluateHandle((f) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
    return dt;
  }, file);
  await page.dispatchEvent(selector, 'dragover', { dataTransfer: data });
  await page.dispatchEvent(selector, 'drop', { dataTransfer: data });
}

/** Pastes an image into the focused composer, as a screenshot copied to the clipboard would. */
async function pasteImage(page: Page, label: string, bytes: number[]) {
  await page.getByLabel(label, { exact: true }).evaluate((el, b) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(b)], 'image.png', { type: 'image/png' }));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, bytes);
}

/** A 64×48 PNG drawn by the browser. */
async function pngBytes(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#2a7';
    ctx.fillRect(0, 0, 64, 48);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
    return [...new Uint8Array(await blob.arrayBuffer())];
  });
}

test('an instructor drops a PDF and pastes an image; the student sees the thumbnail live, downloads the PDF, and Materials lists both', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const tag = Math.random().toString(36).slice(2, 8);
  const title = `Reading pack ${tag}`;
  const pdfName = `reading-${tag}.pdf`;
  const jonas = await signedIn(browser, JONAS);
  const caleb = await signedIn(browser, CALEB, { viewport: { width: 390, height: 844 } });
  try {
    const writing = await classId(jonas.api, 'WRT-120');
    const created = await jonas.api.post('/api/instructor/messages/threads', {
      data: { type: 'CLASS', classId: writing, title, kind: 'announcement', content: 'Files for this week' },
    });
    expect(created.status(), await created.text()).toBe(201);
    const threadId = (await created.json()).data.thread.id as string;

    await openThread(jonas.page, 'instructor', threadId, title);
    await openThread(caleb.page, 'student', threadId, title);

    // Uploads go at 1 MB/s, so the progress is there to see.
    const cdp = await jonas.context.newCDPSession(jonas.page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 1024 * 1024,
    });

    await dropFile(jonas.page, '[data-testid="conversation"]', {
      name: pdfName,
      type: 'application/pdf',
      bytes: pdfBytes(3 * 1024 * 1024),
    });
    const pdfChip = jonas.page.getByTestId('upload-chip').filter({ hasText: pdfName });
    await expect(pdfChip.getByRole('progressbar', { name: `Uploading ${pdfName}` })).toBeVisible();
    await expect(jonas.page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();

    await pasteImage(jonas.page, `Message ${title}`, await pngBytes(jonas.page));
    const imageChip = jonas.page.getByTestId('upload-chip').filter({ hasText: 'image.png' });
    await expect(imageChip).toBeVisible();

    await expect(pdfChip).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
    await expect(imageChip).toHaveAttribute('data-status', 'done');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });

    const box = composer(jonas.page, title);
    await box.fill(`Read before Friday ${tag}`);
    await box.press('Enter');
    await expect(jonas.page.getByTestId('upload-chip')).toHaveCount(0);

    // Caleb: live, without a reload.
    const message = messageWith(caleb.page, `Read before Friday ${tag}`);
    await expect(message).toHaveCount(1);
    const thumb = message.getByTestId('attachment-thumbnail');
    await expect(thumb).toBeVisible();
    await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(64);
    await expect(thumb).toHaveAttribute('width', '64');
    await expect(thumb).toHaveAttribute('height', '48');

    const fileLink = message.getByTestId('attachment-file').filter({ hasText: pdfName });
    const [download] = await Promise.all([caleb.page.waitForEvent('download'), fileLink.click()]);
    expect(download.suggestedFilename()).toBe(pdfName);
    const saved = await download.path();
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(saved);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBe(3 * 1024 * 1024);

    // The lightbox opens on the thumbnail and closes with Escape.
    await thumb.click();
    const lightbox = caleb.page.getByTestId('lightbox');
    await expect(lightbox).toBeVisible();
    await caleb.page.keyboard.press('Escape');
    await expect(lightbox).toBeHidden();

    expect(await horizontalOverflow(caleb.page)).toBeLessThanOrEqual(0);
    await expect(chat(caleb.page, title)).toBeVisible();
    expect(await seriousViolations(caleb.page)).toEqual([]);

    // Materials, for both.
    for (const [person, url] of [
      [jonas, '/instructor/materials'],
      [caleb, '/student/materials'],
    ] as const) {
      await person.page.goto(url);
      // Newest first: the two files of this message lead the list (no other spec shares files).
      const rows = person.page.getByTestId('material');
      await expect(rows.filter({ hasText: pdfName })).toHaveCount(1);
      const firstTwo = await rows.evaluateAll((els) => els.slice(0, 2).map((el) => el.textContent ?? ''));
      expect(firstTwo.some((t) => t.includes(pdfName))).toBe(true);
      expect(firstTwo.some((t) => t.includes('image.png'))).toBe(true);
      expect(await seriousViolations(person.page)).toEqual([]);
      await person.page.getByLabel('Search by name').fill(tag);
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toContainText(pdfName);
    }
    await jonas.page.getByLabel('Search by name').fill('');
    await jonas.page.getByLabel('Type').selectOption('image');
    await expect(jonas.page.getByTestId('material').first()).toContainText('image.png');
    await expect(jonas.page.getByTestId('material').filter({ hasText: pdfName })).toHaveCount(0);

    // The file itself comes with the headers that keep it from acting as the app.
    const href = await caleb.page.getByTestId('material').first().getByRole('link').getAttribute('href');
    const res = await caleb.api.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    expect(res.headers()['content-security-policy']).toMatch(/^sandbox/);
    expect(res.headers()['cache-control']).toMatch(/^private/);
  } finally {
    await jonas.context.close();
    await caleb.context.close();
  }
});
