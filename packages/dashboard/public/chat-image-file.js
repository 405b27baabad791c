// An image picked, pasted or dropped, read as the dashboard takes it.

/** What the dashboard takes (chat-attachments.ts says the same). */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** A file read as base64, or an error in words. */
export function readImage(file) {
  if (!IMAGE_TYPES.includes(file.type))
    return Promise.reject(new Error(`${file.name}: only PNG, JPEG, GIF and WebP images can be sent`));
  if (file.size > MAX_IMAGE_BYTES) return Promise.reject(new Error(`${file.name}: an image can be at most 5 MiB`));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      resolve({
        kind: 'image',
        name: file.name || 'pasted image',
        mimeType: file.type,
        data: String(reader.result).slice(String(reader.result).indexOf(',') + 1),
      });
    reader.onerror = () => reject(new Error(`${file.name}: could not be read`));
    reader.readAsDataURL(file);
  });
}
