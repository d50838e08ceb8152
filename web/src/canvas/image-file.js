// Turns a user-chosen file into pixels, or a clear error that names the file.

export const maxImportEdge = 4096;

export class ImageFileError extends Error {
  name = 'ImageFileError';
}

/** Decodes `file` (any format the browser reads) to ImageData; throws ImageFileError. */
export async function decodeImageFile(file) {
  let bitmap;
  try {
    // No colour-space conversion: the pixels the model sees are the bytes in the file.
    bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new ImageFileError(
      `Could not open “${file.name}”: it is not a readable image (the file is corrupt or in an unsupported format). The canvas is unchanged.`,
    );
  }
  try {
    const { width, height } = bitmap;
    if (width > maxImportEdge || height > maxImportEdge) {
      throw new ImageFileError(
        `“${file.name}” is ${width}×${height}; images up to ${maxImportEdge}×${maxImportEdge} can be imported. The canvas is unchanged.`,
      );
    }
    const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    ctx.drawImage(bitmap, 0, 0);
    return ctx.getImageData(0, 0, width, height);
  } finally {
    bitmap.close();
  }
}
