// Bundles the preview host (host.tsx and the shared modules it hands to the plugin) with esbuild.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

await build({
  entryPoints: [path.join(here, 'host.tsx')],
  outfile: path.join(here, 'dist', 'host.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  sourcemap: false,
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  loader: { '.svg': 'text', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.png': 'dataurl', '.css': 'empty' },
  logLevel: 'warning',
  legalComments: 'none',
});
console.log('preview host built: preview/dist/host.js');
