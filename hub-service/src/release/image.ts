// Images re-derived for release: decoded to pixels and encoded again, so no ancillary chunk (text, EXIF,
// ICC profile, comments, unknown chunks) or bytes after the image end can ride along. pngjs and jpeg-js
// are pure JavaScript (no native build on the hub), widely used and small enough to read.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { pngChunks } from './png-chunks.js';
import { UnparsableContent } from './text.js';

/** Larger images are refused before decoding: a small file can declare a huge picture. */
export const maxImagePixels = 40_000_000;

function checkSize(width: number, height: number, path: string): void {
  if (width * height > maxImagePixels) {
    throw new UnparsableContent(
      `${path} is a ${width}×${height} image, over the ${maxImagePixels / 1e6} megapixel limit for release. Save a smaller figure (lower dpi or size).`
    );
  }
}

/** The PNG's declared size, read from its IHDR chunk (bytes 16–23). */
function pngSize(bytes: Buffer): { width: number; height: number } {
  return bytes.length >= 24
    ? { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
    : { width: 0, height: 0 };
}

/** `path` is how a sentence names the image: a quoted file name, or "The image in this output". */

/** A PNG of the same pixels (8-bit RGBA) with only IHDR, IDAT and IEND chunks. */
export function derivePng(bytes: Buffer, path: string): Buffer {
  const { width, height } = pngSize(bytes);
  checkSize(width, height, path);
  let decoded: PNG;
  try {
    // Bytes after the image's end are not part of it (and pngjs refuses them).
    decoded = PNG.sync.read(bytes.subarray(0, pngChunks(bytes).end));
  } catch (e) {
    throw new UnparsableContent(
      `${path} is not a readable PNG image (${(e as Error).message}). Save the figure again with savefig.`
    );
  }
  return PNG.sync.write(
    Object.assign(new PNG({ width: decoded.width, height: decoded.height }), {
      data: decoded.data
    }),
    { colorType: 6 }
  );
}

/** A JPEG of the same pixels, encoded again (quality 90) with a bare JFIF header: no EXIF, ICC or comments. */
export function deriveJpeg(bytes: Buffer, path: string): Buffer {
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, {
      useTArray: true,
      maxResolutionInMP: maxImagePixels / 1e6,
      maxMemoryUsageInMB: 1024
    });
  } catch (e) {
    throw new UnparsableContent(
      `${path} is not a readable JPEG image (${(e as Error).message}). Save the figure again, or as PNG.`
    );
  }
  checkSize(decoded.width, decoded.height, path);
  return jpeg.encode({ width: decoded.width, height: decoded.height, data: decoded.data }, 90).data;
}
