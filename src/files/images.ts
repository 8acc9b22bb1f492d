// Images are never served as uploaded: sharp decodes and re-encodes them, which drops EXIF (a
// photo's GPS position) and anything hidden after the pixels, applies the EXIF orientation first,
// and makes a thumbnail at most 320 px wide. The dimensions let the UI reserve the space.
import sharp from 'sharp';
import { fileError } from './errors';

export const THUMBNAIL_WIDTH = 320;

export interface TReencoded {
  file: string;
  thumbnail: string;
  width: number;
  height: number;
}

export async function reencodeImage(
  input: string,
  format: 'png' | 'jpeg' | 'webp' | 'gif',
  paths: { out: string; thumbnail: string },
): Promise<TReencoded> {
  try {
    const animated = format === 'gif' || format === 'webp';
    // rotate() with no angle applies the EXIF orientation; no withMetadata(): nothing is copied.
    const pipeline = sharp(input, { animated, limitInputPixels: 100_000_000 }).rotate();
    const encoded =
      format === 'jpeg'
        ? pipeline.jpeg({ quality: 85, mozjpeg: false })
        : format === 'png'
          ? pipeline.png()
          : format === 'webp'
            ? pipeline.webp({ quality: 85 })
            : pipeline.gif();
    const info = await encoded.toFile(paths.out);
    await sharp(paths.out)
      .resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true })
      .webp({ quality: 75 })
      .toFile(paths.thumbnail);
    return {
      file: paths.out,
      thumbnail: paths.thumbnail,
      width: info.width,
      height: info.pageHeight ?? info.height,
    };
  } catch {
    throw fileError('UNSUPPORTED_FILE_TYPE', 'This image could not be read. Save it again as PNG or JPEG.');
  }
}
