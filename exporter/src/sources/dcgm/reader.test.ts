import { strict as assert } from 'node:assert';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { brotliCompressSync, gzipSync } from 'node:zlib';

import { SourceError } from '../source.js';
import { readExpositionText } from './reader.js';

const servers: Server[] = [];
after(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

/** A real HTTP server on a free loopback port; returns its /metrics URL. */
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

async function rejection(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SourceError, `expected a SourceError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the read to fail');
}

const BODY = '# TYPE DCGM_FI_DEV_GPU_TEMP gauge\nDCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-1"} 25\n';

describe('readExpositionText', () => {
  it('returns the body of a 200 response and asks for the text format', async () => {
    let accept: string | undefined;
    const url = await serve((req, res) => {
      accept = req.headers.accept;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(BODY);
    });
    assert.equal(await readExpositionText(url), BODY);
    assert.equal(accept, 'text/plain;version=0.0.4');
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = Buffer.from('m{pod="zürich-ø"} 1\n');
    const url = await serve((_req, res) => {
      res.writeHead(200);
      res.write(bytes.subarray(0, 11)); // splits the two-byte "ü"
      setTimeout(() => res.end(bytes.subarray(11)), 10);
    });
    assert.equal(await readExpositionText(url), 'm{pod="zürich-ø"} 1\n');
  });

  it('fails on HTTP 500, naming the URL and the status', async () => {
    const url = await serve((_req, res) => res.writeHead(500, 'Internal Server Error').end('boom'));
    const error = await rejection(readExpositionText(url));
    assert.equal(error.message, `${url}: HTTP 500 Internal Server Error`);
  });

  it('does not follow redirects', async () => {
    const url = await serve((_req, res) => res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end());
    const error = await rejection(readExpositionText(url));
    assert.match(error.message, /: HTTP 302/);
    assert.ok(error.message.startsWith(url));
  });

  it('times out on a hung exporter, naming the URL', async () => {
    const url = await serve(() => undefined); // never answers
    const started = performance.now();
    const error = await rejection(readExpositionText(url, { timeoutMs: 150 }));
    assert.equal(error.message, `${url}: no complete response within 150 ms`);
    assert.ok(performance.now() - started < 2000);
  });

  it('times out when the body stalls after the headers', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200);
      res.write('DCGM_FI_DEV_GPU_TEMP{gpu="0"} 25\n'); // and then nothing
    });
    const error = await rejection(readExpositionText(url, { timeoutMs: 150 }));
    assert.equal(error.message, `${url}: no complete response within 150 ms`);
  });

  it('rejects a body whose declared length is over the limit', async () => {
    const url = await serve((_req, res) => res.writeHead(200, { 'content-length': 4096 }).end('x'.repeat(4096)));
    const error = await rejection(readExpositionText(url, { maxBytes: 1024 }));
    assert.equal(error.message, `${url}: response body of 4096 bytes exceeds 1024 bytes`);
  });

  it('aborts a streamed body as soon as it passes the limit', async () => {
    let chunksSent = 0;
    const url = await serve((_req, res) => {
      res.writeHead(200); // chunked, no length announced
      const timer = setInterval(() => {
        chunksSent++;
        res.write('x'.repeat(1024));
      }, 1);
      res.on('close', () => clearInterval(timer));
    });
    const error = await rejection(readExpositionText(url, { maxBytes: 8 * 1024, timeoutMs: 5000 }));
    assert.equal(error.message, `${url}: response body exceeds 8192 bytes`);
    assert.ok(chunksSent < 1000, `server kept sending: ${chunksSent} chunks`);
  });

  it('applies the limit to the decompressed body', async () => {
    const bomb = gzipSync(Buffer.alloc(1024 * 1024, 'a'));
    const url = await serve((_req, res) =>
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': bomb.length }).end(bomb),
    );
    assert.ok(bomb.length < 8 * 1024);
    const error = await rejection(readExpositionText(url, { maxBytes: 64 * 1024 }));
    assert.equal(error.message, `${url}: response body exceeds 65536 bytes`);
  });

  it('decodes a gzip or brotli body the server sends although none was asked for', async () => {
    let acceptEncoding: string | undefined;
    const gzipUrl = await serve((req, res) => {
      acceptEncoding = req.headers['accept-encoding'];
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(BODY));
    });
    assert.equal(await readExpositionText(gzipUrl), BODY);
    assert.equal(acceptEncoding, undefined, 'a loopback read should not ask for compression');
    const brotliUrl = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'br' }).end(brotliCompressSync(BODY)));
    assert.equal(await readExpositionText(brotliUrl), BODY);
  });

  it('fails on an unknown content-encoding and on a corrupt gzip body', async () => {
    const unknown = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'zstd' }).end('????'));
    assert.equal((await rejection(readExpositionText(unknown))).message, `${unknown}: unsupported content-encoding "zstd"`);
    const corrupt = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all'));
    assert.match((await rejection(readExpositionText(corrupt))).message, /: response body cannot be decoded \(Z_DATA_ERROR\)$/);
  });

  it('drops a leading byte order mark, as a text decoder does', async () => {
    const url = await serve((_req, res) => res.writeHead(200).end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BODY)])));
    assert.equal(await readExpositionText(url), BODY);
  });

  it('fails when the body is cut off before its announced length', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': 10_000 });
      res.write('x'.repeat(100), () => res.socket?.destroy());
    });
    assert.match((await rejection(readExpositionText(url))).message, /: response body broken off \(/);
  });

  it('retries once on a kept-alive connection the server dropped, and reads the answer', async () => {
    const perSocket = new WeakMap<object, number>();
    let requests = 0;
    const url = await serve((req, res) => {
      requests++;
      const seen = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, seen);
      // The second request on a connection finds it gone, as when an idle connection is closed.
      if (seen === 2) req.socket.destroy();
      else res.writeHead(200).end(BODY);
    });
    assert.equal(await readExpositionText(url), BODY);
    assert.equal(await readExpositionText(url), BODY);
    assert.equal(requests, 3);
  });

  it('names a reset before any answer as a lost connection', async () => {
    const url = await serve((req) => req.socket.destroy());
    assert.match((await rejection(readExpositionText(url))).message, /: connection lost before the response \(ECONNRESET\)$/);
  });

  it('refuses what is not an http(s) URL without connecting', async () => {
    assert.equal((await rejection(readExpositionText('not a url'))).message, 'not a url: not a valid URL');
    assert.equal((await rejection(readExpositionText('file:///etc/passwd'))).message, 'file:///etc/passwd: unsupported protocol file:');
  });

  it('returns a garbage body unchanged (judging it is the parser’s job)', async () => {
    const garbage = '<html><body>502 Bad Gateway</body></html>';
    const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(garbage));
    assert.equal(await readExpositionText(url), garbage);
  });

  it('fails on connection refused, naming the URL', async () => {
    const url = await serve(() => undefined);
    const server = servers.pop();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const error = await rejection(readExpositionText(url));
    assert.equal(error.message, `${url}: cannot connect (ECONNREFUSED)`);
  });

  it("does not start when the caller's signal has already aborted", async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests++;
      res.writeHead(200).end(BODY);
    });
    const error = await rejection(readExpositionText(url, { signal: AbortSignal.abort() }));
    assert.equal(error.message, `${url}: read aborted by the caller`);
    assert.equal(requests, 0);
  });

  it("stops when the caller's signal aborts", async () => {
    const url = await serve(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(readExpositionText(url, { signal: controller.signal, timeoutMs: 5000 }));
    assert.equal(error.message, `${url}: read aborted by the caller`);
  });
});
