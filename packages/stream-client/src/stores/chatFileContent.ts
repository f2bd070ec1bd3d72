import type { ChatFile } from './buildChatRequestBody.js';

/** The base64 data of a `data:` URL whose payload is base64, or `undefined` for any other URL. */
export function base64Data(url: string): string | undefined {
  const match = /^data:[^,]*;base64,/i.exec(url);
  return match === null ? undefined : url.slice(match[0].length);
}

/**
 * The text a `data:` URL holds (a text file attached by the person), or `undefined` for an address,
 * which the provider must fetch itself.
 */
export function dataText(url: string): string | undefined {
  const comma = url.indexOf(',');
  if (!/^data:/i.test(url) || comma === -1) return undefined;
  const payload = url.slice(comma + 1);
  try {
    if (/;base64$/i.test(url.slice(0, comma))) {
      const binary = atob(payload);
      const bytes = new Uint8Array(binary.length);
      for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
      return new TextDecoder().decode(bytes);
    }
    return decodeURIComponent(payload);
  } catch {
    return undefined;
  }
}

/** What kind of content a file is, for the providers' content shapes. */
export function fileKind(file: ChatFile): 'image' | 'pdf' | 'text' | 'other' {
  const type = file.mediaType.toLowerCase();
  if (type.startsWith('image/')) return 'image';
  if (type === 'application/pdf') return 'pdf';
  if (type.startsWith('text/') || type === 'application/json') return 'text';
  return 'other';
}

/** A text file as text a model reads: its name, then its content. */
export function fileAsText(file: ChatFile): string {
  const text = dataText(file.url);
  const name = file.filename ?? 'attachment';
  return text === undefined ? `${name}: ${file.url}` : `${name}:\n${text}`;
}
