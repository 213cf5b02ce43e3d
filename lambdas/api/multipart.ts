/**
 * A small, bounded multipart/form-data reader (RFC 7578) for form posts: text fields only. A part
 * with a filename is a file upload, which POST /leads refuses (415). Works on the bytes the caller
 * already capped; at most MAX_PARTS parts; each part's text decoded with its own charset, the post's
 * `_charset_` field, or the charset the caller gives.
 */

export const MAX_PARTS = 500;

export interface MultipartPart {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly data: Buffer;
}

export class MultipartError extends Error {
  constructor(
    message: string,
    readonly kind: 'malformed' | 'file' | 'too many parts',
  ) {
    super(message);
    this.name = 'MultipartError';
  }
}

/** The boundary of a multipart content type, or undefined. */
export function multipartBoundary(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** The parts of a multipart body, in order. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new MultipartError('the multipart body has no boundary line', 'malformed');
  for (;;) {
    at += delimiter.length;
    // "--" after a delimiter ends the body
    if (body[at] === 0x2d && body[at + 1] === 0x2d) break;
    if (body[at] === 0x0d && body[at + 1] === 0x0a) at += 2;
    else if (body[at] === 0x0a) at += 1;
    else throw new MultipartError('a multipart boundary line is malformed', 'malformed');
    const next = body.indexOf(delimiter, at);
    if (next < 0)
      throw new MultipartError('the multipart body ends without its closing boundary', 'malformed');
    // the part ends before the CRLF that precedes the next delimiter
    let end = next;
    if (body[end - 1] === 0x0a) end -= 1;
    if (body[end - 1] === 0x0d) end -= 1;
    parts.push(readPart(body.subarray(at, end)));
    if (parts.length > MAX_PARTS) throw new MultipartError(`more than ${MAX_PARTS} parts`, 'too many parts');
    at = next;
  }
  return parts;
}

function readPart(part: Buffer): MultipartPart {
  let split = part.indexOf('\r\n\r\n');
  let gap = 4;
  if (split < 0) {
    split = part.indexOf('\n\n');
    gap = 2;
  }
  if (split < 0) throw new MultipartError('a multipart part has no header end', 'malformed');
  const headers = part.subarray(0, split).toString('latin1').split(/\r?\n/);
  let disposition = '';
  let contentType: string | undefined;
  for (const line of headers) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    if (name === 'content-type') contentType = value;
  }
  if (!/^form-data\b/i.test(disposition)) {
    throw new MultipartError('a multipart part is not form-data', 'malformed');
  }
  const name = parameter(disposition, 'name');
  if (name === undefined) throw new MultipartError('a multipart part has no name', 'malformed');
  const filename = parameter(disposition, 'filename');
  return {
    // names are sent as UTF-8 by browsers (HTML's form-data encoding); header bytes were read as latin1
    name: Buffer.from(name, 'latin1').toString('utf8'),
    ...(filename !== undefined ? { filename: Buffer.from(filename, 'latin1').toString('utf8') } : {}),
    ...(contentType ? { contentType } : {}),
    data: part.subarray(split + gap),
  };
}

function parameter(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${name}=([^;\\s]+)`, 'i').exec(header);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}
