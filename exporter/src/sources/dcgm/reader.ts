/**
 * Reads a dcgm-exporter /metrics page over HTTP.
 *
 * node:http rather than the global fetch: fetch's first use loads and compiles undici, about 13 MiB
 * of resident memory in a process meant to stay small, for one GET to localhost. One deadline covers
 * connecting, waiting for the headers and streaming the body; the caller's signal ends the read at
 * any point. The size limit applies to the decoded body while it streams, and the request is torn
 * down the moment it is exceeded. Redirects are not followed: a 3xx is reported like any other
 * non-200 status.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { SourceError } from '../source.js';

const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
const ACCEPT = 'text/plain;version=0.0.4';

export interface ReadOptions {
  /** The scrape's own signal; aborting it abandons the read. */
  signal?: AbortSignal;
  /** Whole request, body included. */
  timeoutMs?: number;
  /** Largest body accepted, after decompression. */
  maxBytes?: number;
}

type Request = (url: URL, options: RequestOptions) => ClientRequest;

/** Returns the body of `url`, or throws a SourceError that names the URL and what went wrong. */
export async function readExpositionText(url: string, options: ReadOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const fail = (what: string, cause?: unknown) => new SourceError(`${url}: ${what}`, cause === undefined ? undefined : { cause });

  let target: URL;
  try {
    target = new URL(url);
  } catch (error) {
    throw fail('not a valid URL', error);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw fail(`unsupported protocol ${target.protocol}`);
  const signal = options.signal;
  if (signal?.aborted) throw fail('read aborted by the caller', signal.reason);
  // TLS is loaded only by a node role that reads dcgm-exporter over https.
  const request: Request = target.protocol === 'https:' ? (await import('node:https')).request : httpRequest;

  return new Promise<string>((resolve, reject) => {
    let settled = false;
    let current: ClientRequest | undefined;
    let decoder: Transform | undefined;
    let retried = false;

    const finish = (error: SourceError | undefined, text = ''): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) {
        resolve(text);
        return;
      }
      // Tearing down the socket stops a hostile server from streaming on after we gave up.
      current?.destroy();
      decoder?.destroy();
      reject(error);
    };
    const onAbort = () => finish(fail('read aborted by the caller', signal?.reason));
    const deadline = setTimeout(() => finish(fail(`no complete response within ${timeoutMs} ms`)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    const readBody = (response: IncomingMessage): void => {
      if (response.statusCode !== 200) {
        finish(fail(`HTTP ${response.statusCode}${response.statusMessage ? ` ${response.statusMessage}` : ''}`));
        return;
      }
      const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
      // The announced length is the encoded one; only an unencoded body can be refused by it up front.
      const declared = encoding === 'identity' ? Number(response.headers['content-length']) : 0;
      if (declared > maxBytes) {
        finish(fail(`response body of ${declared} bytes exceeds ${maxBytes} bytes`));
        return;
      }
      let body: Readable = response;
      if (encoding !== 'identity') {
        const created = createDecoder(encoding);
        if (created === undefined) {
          finish(fail(`unsupported content-encoding ${JSON.stringify(encoding)}`));
          return;
        }
        decoder = created;
        decoder.on('error', (error) => finish(fail(`response body cannot be decoded (${describeNetworkError(error)})`, error)));
        body = response.pipe(decoder);
      }

      const chunks: Buffer[] = [];
      let received = 0;
      body.on('data', (chunk: Buffer) => {
        received += chunk.byteLength;
        if (received > maxBytes) finish(fail(`response body exceeds ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      // Decoded once at the end: a character split across chunks comes out whole, a BOM is dropped.
      body.on('end', () => finish(undefined, new TextDecoder('utf-8').decode(Buffer.concat(chunks, received))));
      response.on('error', (error) => finish(fail(`response body broken off (${describeNetworkError(error)})`, error)));
      response.on('close', () => {
        if (!response.complete) finish(fail('response body broken off (connection closed)'));
      });
    };

    const send = (): void => {
      // Plain text only: compressing a page sent over loopback costs CPU at both ends and saves nothing.
      const req = request(target, { headers: { accept: ACCEPT } });
      current = req;
      let connected = false;
      req.on('socket', (socket) => {
        if (socket.connecting) socket.once('connect', () => (connected = true));
        else connected = true;
      });
      req.on('response', readBody);
      req.on('error', (error) => {
        if (settled) return;
        const code = describeNetworkError(error);
        // A kept-alive connection the server closed while idle: the request never reached it, so once more.
        if (req.reusedSocket && code === 'ECONNRESET' && !retried) {
          retried = true;
          send();
          return;
        }
        finish(fail(connected ? `connection lost before the response (${code})` : `cannot connect (${code})`, error));
      });
      req.end();
    };
    send();
  });
}

/** A stream decoding one HTTP content-encoding; undefined for one this reader does not know. */
function createDecoder(encoding: string): Transform | undefined {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

/** The system error code of a network error, e.g. ECONNREFUSED, else its message. */
function describeNetworkError(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return error instanceof Error ? error.message : String(error);
}
