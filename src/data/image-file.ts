/**
 * A user's image file (PNG or JPEG, any size) as a model input: decoded with pngjs / jpeg-js,
 * grayscale (or RGB), padded to a square with its background, resized by averaging the pixels each
 * output pixel covers, scaled to [0, 1]. MNIST-style digits are light on a dark background; a
 * dark-on-light picture (a digit drawn on paper) is inverted when `invert` is 'auto' and the
 * border is mostly light. Node only (pngjs reads with zlib).
 */
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import type { ImageInput } from '../serialize/preprocess.js';

export interface DecodedImage {
  width: number;
  height: number;
  /** RGBA bytes, row by row. */
  rgba: Uint8Array;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** Decodes PNG or JPEG bytes (told apart by their first bytes); anything else is an Error saying what it is not. */
export function decodeImage(bytes: Uint8Array): DecodedImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (startsWith(bytes, PNG_MAGIC)) {
      const png = pngjs.PNG.sync.read(buffer);
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    if (startsWith(bytes, JPEG_MAGIC)) {
      const img = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
      return { width: img.width, height: img.height, rgba: img.data };
    }
  } catch (err) {
    throw new Error(`not a readable image (${(err as Error).message.split('\n')[0]})`);
  }
  throw new Error('not a PNG or JPEG file');
}

/** The image as `target.channels` planes of target.height × target.width values in [0, 1] (CHW order). */
export function imageToInput(image: DecodedImage, target: ImageInput, invert: 'auto' | boolean = 'auto'): Float32Array {
  const { width, height, rgba } = image;
  if (width < 1 || height < 1) throw new Error(`image has no pixels (${width}×${height})`);
  const channels = target.channels === 1 ? 1 : 3;
  if (target.channels !== 1 && target.channels !== 3) throw new Error(`images convert to 1 or 3 channels, the model takes ${target.channels}`);
  // Planes in [0, 1]; transparent pixels composite over black (MNIST's background).
  const planes = Array.from({ length: channels }, () => new Float32Array(width * height));
  for (let p = 0; p < width * height; p++) {
    const [r, g, b, a] = [rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2], rgba[4 * p + 3] / 255];
    if (channels === 1) planes[0][p] = ((0.299 * r + 0.587 * g + 0.114 * b) / 255) * a;
    else [r, g, b].forEach((v, c) => (planes[c][p] = (v / 255) * a));
  }
  if (invert === true || (invert === 'auto' && borderMean(planes, width, height) > 0.5)) {
    for (const plane of planes) for (let i = 0; i < plane.length; i++) plane[i] = 1 - plane[i];
  }
  const out = new Float32Array(channels * target.height * target.width);
  planes.forEach((plane, c) => resizeSquare(plane, width, height, out.subarray(c * target.height * target.width, (c + 1) * target.height * target.width), target.width, target.height));
  return out;
}

function borderMean(planes: Float32Array[], width: number, height: number): number {
  let sum = 0;
  let n = 0;
  for (const plane of planes) {
    for (let x = 0; x < width; x++) {
      sum += plane[x] + plane[(height - 1) * width + x];
      n += 2;
    }
    for (let y = 0; y < height; y++) {
      sum += plane[y * width] + plane[y * width + width - 1];
      n += 2;
    }
  }
  return sum / n;
}

/**
 * Centers the image in a square (the padding takes the border's mean value, i.e. its background),
 * then box-filters it to outW × outH: each output pixel is the area-weighted mean of the source
 * pixels under it.
 */
function resizeSquare(src: Float32Array, width: number, height: number, out: Float32Array, outW: number, outH: number): void {
  const side = Math.max(width, height);
  const offX = (side - width) / 2;
  const offY = (side - height) / 2;
  const background = borderMean([src], width, height);
  const sample = (x: number, y: number) => {
    const sx = Math.floor(x - offX);
    const sy = Math.floor(y - offY);
    return sx < 0 || sy < 0 || sx >= width || sy >= height ? background : src[sy * width + sx];
  };
  const scaleX = side / outW;
  const scaleY = side / outH;
  for (let oy = 0; oy < outH; oy++) {
    const y0 = oy * scaleY;
    const y1 = y0 + scaleY;
    for (let ox = 0; ox < outW; ox++) {
      const x0 = ox * scaleX;
      const x1 = x0 + scaleX;
      let sum = 0;
      for (let y = Math.floor(y0); y < y1; y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < x1; x++) sum += sample(x, y) * wy * (Math.min(x + 1, x1) - Math.max(x, x0));
      }
      out[oy * outW + ox] = sum / (scaleX * scaleY);
    }
  }
}
