import { AttachmentError } from './AttachmentError.js';
import type { ChatFile } from './buildChatRequestBody.js';

/** A file to send with a message: a `File` or `Blob` from the page, or one already at an address. */
export type AttachmentInput = Blob | { url: string; mediaType: string; filename?: string };

/** Which files a chat takes. */
export interface AttachmentLimits {
  /** The largest file, in bytes; default 10 MiB. */
  maxFileBytes?: number | undefined;
  /** The most files with one message; default 10. */
  maxFiles?: number | undefined;
  /** The media types taken, exactly or as `type/*`; default images, PDFs and text. */
  accept?: readonly string[] | undefined;
}

const DEFAULT_ACCEPT = ['image/*', 'application/pdf', 'text/*', 'application/json'];

/** Whether a media type is one of `accept`'s, exactly or by its `type/*`. */
export function acceptsType(accept: readonly string[], mediaType: string): boolean {
  const type = mediaType.toLowerCase().split(';')[0]!.trim();
  return accept.some((pattern) => {
    const wanted = pattern.toLowerCase();
    return wanted.endsWith('/*') ? type.startsWith(wanted.slice(0, -1)) : type === wanted;
  });
}

/**
 * Checks files against the limits, all before any is read, then reads each page file into a
 * `data:` URL. Rejects with an {@link AttachmentError} that names the file and the limit.
 */
export async function readAttachments(
  inputs: readonly AttachmentInput[],
  limits: AttachmentLimits = {},
): Promise<ChatFile[]> {
  const maxFileBytes = limits.maxFileBytes ?? 10 * 1024 * 1024;
  const maxFiles = limits.maxFiles ?? 10;
  const accept = limits.accept ?? DEFAULT_ACCEPT;
  if (inputs.length > maxFiles) {
    throw new AttachmentError(`At most ${maxFiles} files can go with one message.`, 'too-many');
  }
  for (const input of inputs) {
    const name = input instanceof Blob ? (input as Partial<File>).name : input.filename;
    const mediaType = input instanceof Blob ? input.type : input.mediaType;
    const shown = name ?? 'The file';
    if (!acceptsType(accept, mediaType || 'application/octet-stream')) {
      throw new AttachmentError(`${shown} is a kind of file this chat does not take.`, 'type', name);
    }
    if (input instanceof Blob && input.size > maxFileBytes) {
      throw new AttachmentError(`${shown} is larger than ${megabytes(maxFileBytes)}.`, 'too-large', name);
    }
    if (!(input instanceof Blob) && !/^(https?:|data:)/i.test(input.url)) {
      throw new AttachmentError(`${shown} has an address that cannot be sent.`, 'unreadable', name);
    }
  }
  return Promise.all(
    inputs.map(async (input): Promise<ChatFile> => {
      if (!(input instanceof Blob)) return { ...input };
      const name = (input as Partial<File>).name;
      try {
        const url = `data:${input.type};base64,${base64(new Uint8Array(await input.arrayBuffer()))}`;
        return { mediaType: input.type, url, ...(name === undefined || name === '' ? {} : { filename: name }) };
      } catch (error) {
        throw Object.assign(new AttachmentError(`${name ?? 'The file'} could not be read.`, 'unreadable', name), {
          cause: error,
        });
      }
    }),
  );
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  // In slices, so that no call gets more arguments than an engine allows.
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`
    : `${Math.round(bytes / 1024)} KB`;
}
