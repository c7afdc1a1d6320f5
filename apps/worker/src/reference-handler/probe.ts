import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ProbeResult {
  /** Bytes read from the source. */
  bytes: number;
  /** How long reading the whole source took. */
  read_seconds: number;
  content_type: string | null;
}

/**
 * Reads a stream's source to the end and says what it saw. A real media handler would decode
 * frames here; this one only proves the source is there and readable, which is enough to show
 * the whole take → heartbeat → feedback cycle.
 */
export async function probe(reference: string, signal?: AbortSignal): Promise<ProbeResult> {
  const started = performance.now();
  let url: URL;
  try {
    url = new URL(reference);
  } catch {
    throw new Error(`reference ${reference} is not a URL (file://, http:// or https://)`);
  }
  let bytes = 0;
  let contentType: string | null = null;
  if (url.protocol === 'file:') {
    for await (const chunk of createReadStream(fileURLToPath(url), { signal })) bytes += (chunk as Buffer).length;
  } else if (url.protocol === 'http:' || url.protocol === 'https:') {
    const response = await fetch(url, { signal });
    if (!response.ok || !response.body) throw new Error(`${reference} answered ${response.status}`);
    contentType = response.headers.get('content-type');
    for await (const chunk of response.body) bytes += (chunk as Uint8Array).length;
  } else {
    throw new Error(`cannot read ${url.protocol} sources; use file://, http:// or https://`);
  }
  return { bytes, read_seconds: Math.round(performance.now() - started) / 1000, content_type: contentType };
}
