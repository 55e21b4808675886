import { InvalidRequestError } from '@conduit/core';

/** An Anthropic `image` (or PDF `document`) block built from an OpenAI image URL or file. */
export type AnthropicMediaBlock =
  | { type: 'image'; source: { type: 'base64'; media_type: string; data: string } }
  | { type: 'image'; source: { type: 'url'; url: string } }
  | {
      type: 'document';
      source: { type: 'base64'; media_type: string; data: string };
      title?: string;
    };

const dataURLPattern = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;

/** `data:<type>;base64,<data>` → its parts, or undefined for any other URL. */
export function parseDataURL(url: string): { mediaType: string; data: string } | undefined {
  const match = dataURLPattern.exec(url);
  return match ? { mediaType: match[1] ?? '', data: match[2] ?? '' } : undefined;
}

/**
 * An OpenAI `image_url` (a data URL or an http(s) URL) → an Anthropic image block. `field` names
 * the offending part in the 400 a bad URL gets.
 */
export function convertImageURL(url: string, field: string): AnthropicMediaBlock {
  const data = parseDataURL(url);
  if (data) {
    return {
      type: 'image',
      source: { type: 'base64', media_type: data.mediaType, data: data.data },
    };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw new InvalidRequestError({
    message: `${field}: an image must be an http(s) URL or a base64 data URL.`,
    field,
  });
}

/** An OpenAI file part (`file_data` as a data URL) → an Anthropic document block (PDFs). */
export function convertFileData(
  fileData: string,
  filename: string | undefined,
  field: string,
): AnthropicMediaBlock {
  const data = parseDataURL(fileData);
  if (!data) {
    throw new InvalidRequestError({
      message: `${field}: file_data must be a base64 data URL (file ids are not supported).`,
      field,
    });
  }
  if (data.mediaType.startsWith('image/')) {
    return {
      type: 'image',
      source: { type: 'base64', media_type: data.mediaType, data: data.data },
    };
  }
  return {
    type: 'document',
    source: { type: 'base64', media_type: data.mediaType, data: data.data },
    ...(filename ? { title: filename } : {}),
  };
}
