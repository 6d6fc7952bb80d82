/**
 * Reads a dcgm-exporter /metrics page over HTTP.
 *
 * Global fetch rather than node:http: one AbortSignal (the caller's, combined with the timeout)
 * covers connecting, waiting for headers and streaming the body, which node:http needs three
 * separate mechanisms for; the body arrives as a stream, so the size limit is enforced while
 * reading, on decompressed bytes, and the request is aborted the moment it is exceeded.
 * Redirects are not followed: a 3xx is reported like any other non-200 status.
 */
import { SourceError } from '../source.js';

const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

export interface ReadOptions {
  /** The scrape's own signal; aborting it abandons the read. */
  signal?: AbortSignal;
  /** Whole request, body included. */
  timeoutMs?: number;
  /** Largest body accepted, after decompression. */
  maxBytes?: number;
}

/** Returns the body of `url`, or throws a SourceError that names the URL and what went wrong. */
export async function readExpositionText(url: string, options: ReadOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeout = AbortSignal.timeout(timeoutMs);
  const oversize = new AbortController();
  const signals = [timeout, oversize.signal];
  if (options.signal !== undefined) signals.push(options.signal);
  const signal = AbortSignal.any(signals);

  const fail = (what: string, cause?: unknown): never => {
    throw new SourceError(`${url}: ${what}`, { cause });
  };
  const explainAbort = (cause: unknown): never => {
    if (oversize.signal.aborted) return fail(`response body exceeds ${maxBytes} bytes`);
    if (timeout.aborted) return fail(`no complete response within ${timeoutMs} ms`, cause);
    return fail('read aborted by the caller', cause);
  };

  let response: Response;
  try {
    response = await fetch(url, {
      signal,
      redirect: 'manual',
      headers: { accept: 'text/plain;version=0.0.4' },
    });
  } catch (error) {
    if (signal.aborted) return explainAbort(error);
    return fail(`cannot connect (${describeNetworkError(error)})`, error);
  }

  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    return fail(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  // The announced length is the encoded one; only an unencoded body can be refused by it up front.
  const declared = response.headers.has('content-encoding') ? 0 : Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return fail(`response body of ${declared} bytes exceeds ${maxBytes} bytes`);
  }
  if (response.body === null) return '';

  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  let received = 0;
  let text = '';
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        oversize.abort();
        await reader.cancel().catch(() => undefined);
        return fail(`response body exceeds ${maxBytes} bytes`);
      }
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    if (error instanceof SourceError) throw error;
    if (signal.aborted) return explainAbort(error);
    return fail(`response body broken off (${describeNetworkError(error)})`, error);
  }
  return text + decoder.decode();
}

/** The system error code under fetch's generic "fetch failed", e.g. ECONNREFUSED. */
function describeNetworkError(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return error instanceof Error ? error.message : String(error);
}
