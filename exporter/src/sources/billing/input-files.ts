import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/*
 * Billing inputs on disk. Changes are noticed by comparing a cheap stat at each collection rather
 * than by fs.watch, which misses events on network mounts and in containers and fires mid-write.
 */

/** What identifies one version of a file: a change of content almost always changes one of these. */
export interface FileStamp {
  mtimeMs: number;
  size: number;
  /** Changes when a file is replaced by rename (atomic writes), even with equal size and mtime. */
  ino: number;
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return a !== undefined && b !== undefined && a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino;
}

/** Stat of a regular file; throws when it is missing or not a file. */
export async function statFile(path: string): Promise<FileStamp> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error('not a regular file');
  return { mtimeMs: info.mtimeMs, size: info.size, ino: info.ino };
}

/** Names of FOCUS exports in a directory: `*.csv` and `*.csv.gz`; hidden files (partial downloads) are skipped. */
export function isFocusFileName(name: string): boolean {
  return !name.startsWith('.') && /\.csv(\.gz)?$/i.test(name);
}

/**
 * The FOCUS files an input stands for: itself when a file, its FOCUS files (not recursive, sorted)
 * when a directory. Throws when the input is missing or unreadable.
 */
export async function listFocusFiles(input: string): Promise<string[]> {
  const info = await stat(input);
  if (info.isFile()) return [input];
  if (!info.isDirectory()) throw new Error('neither a file nor a directory');
  const entries = await readdir(input, { withFileTypes: true });
  return entries
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && isFocusFileName(entry.name))
    .map((entry) => join(input, entry.name))
    .sort();
}
