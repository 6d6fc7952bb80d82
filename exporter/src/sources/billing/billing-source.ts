import type { MetricFamily } from '../../exposition/types.js';
import { SourceError, type Collection, type Source } from '../source.js';
import { billingFamilies, type BillingFileStatus } from './billing-families.js';
import { readFocusFile, type FocusFile } from './focus.js';
import { listFocusFiles, sameStamp, statFile, type FileStamp } from './input-files.js';
import { computeNodeCosts, type NodeCostResult } from './node-costs.js';
import { loadPriceBook, type PriceBook } from './pricebook.js';

/*
 * The billing role's source: a price book plus FOCUS exports, re-read when they change.
 *
 * Each file keeps its last good reading. A file that breaks (or vanishes) after a good reading keeps
 * serving it, flagged `stale` with an error naming the file; a file that has never been read
 * successfully fails the whole source, since half a fleet's prices would be wrong, not partial.
 * A file removed from a FOCUS directory is simply no longer part of the bill.
 *
 * Row problems are reported on the collection that read the file; later collections that find the
 * file unchanged do not repeat them (the per-file `gpufleet_billing_rows_rejected` keeps the count).
 */

export interface BillingSourceOptions {
  /** Price book YAML file. */
  priceBook: string;
  /** FOCUS CSV files or directories (a directory means every *.csv / *.csv.gz directly in it). */
  focus: string[];
  /** Tags key naming the node of a FOCUS row (default `gpufleet-node`). */
  nodeTag?: string;
  /** Days of the most recent charge periods averaged into a node's price (default 30). */
  windowDays?: number;
  now?: () => Date;
}

export const DEFAULT_NODE_TAG = 'gpufleet-node';
export const DEFAULT_WINDOW_DAYS = 30;

const DAY_MS = 86_400_000;

/** One input file's state across collections. */
interface Tracked<T> {
  path: string;
  stamp: FileStamp | undefined;
  good: T | undefined;
  /** Cannot stat it now (vanished, permissions). */
  statError: SourceError | undefined;
  /** Its content at `stamp` could not be used. */
  readError: SourceError | undefined;
}

interface TrackedFocus extends Tracked<FocusFile> {
  /** The price book its reading resolved node names against; a new price book means reading it again. */
  readWith: PriceBook | undefined;
}

interface Snapshot {
  families: MetricFamily[];
  problems: string[];
  stale: SourceError | undefined;
}

export function createBillingSource(opts: BillingSourceOptions): Source {
  return new BillingSource(opts);
}

class BillingSource implements Source {
  readonly source = 'billing';
  readonly target: string;

  private readonly nodeTag: string;
  private readonly windowMs: number;
  private readonly now: () => Date;
  private readonly priceBook: Tracked<PriceBook>;
  private readonly focus = new Map<string, TrackedFocus>();
  /** Last successful listing of each FOCUS input, kept when the input later vanishes. */
  private readonly listings = new Map<string, string[]>();
  private readonly listingErrors = new Map<string, SourceError>();
  /** Bumped whenever any good reading changes, to know when prices must be recomputed. */
  private version = 0;
  private costs: { version: number; result: NodeCostResult } | undefined;
  private inflight: Promise<Snapshot> | undefined;

  constructor(private readonly opts: BillingSourceOptions) {
    const windowDays = opts.windowDays ?? DEFAULT_WINDOW_DAYS;
    if (!(windowDays > 0 && Number.isFinite(windowDays))) throw new RangeError(`billing windowDays must be a positive number, got ${windowDays}`);
    this.nodeTag = opts.nodeTag ?? DEFAULT_NODE_TAG;
    if (this.nodeTag === '') throw new RangeError('billing nodeTag must not be empty');
    this.windowMs = windowDays * DAY_MS;
    this.now = opts.now ?? (() => new Date());
    this.target = [opts.priceBook, ...opts.focus].join(',');
    this.priceBook = { path: opts.priceBook, stamp: undefined, good: undefined, statError: undefined, readError: undefined };
  }

  async collect(signal: AbortSignal): Promise<Collection> {
    signal.throwIfAborted();
    // Concurrent scrapes share one refresh, so a large file is never parsed twice at once, and a
    // scrape that gives up does not abort a parse the next scrape will want.
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = undefined;
    });
    const snapshot = await abortable(this.inflight, signal);
    const collection: Collection = { families: snapshot.families, problems: snapshot.problems };
    if (snapshot.stale !== undefined) collection.stale = snapshot.stale;
    return collection;
  }

  private async refresh(): Promise<Snapshot> {
    const problems: string[] = [];
    const now = this.now().getTime();

    await this.refreshPriceBook();
    const book = this.priceBook.good;
    if (book === undefined) throw this.priceBook.statError ?? this.priceBook.readError ?? new SourceError(`${this.priceBook.path}: price book not read`);

    const files = await this.refreshListings();
    for (const path of this.focus.keys()) {
      if (!files.has(path)) {
        this.focus.delete(path);
        this.version++;
      }
    }
    for (const path of files) {
      let tracked = this.focus.get(path);
      if (tracked === undefined) {
        tracked = { path, stamp: undefined, good: undefined, statError: undefined, readError: undefined, readWith: undefined };
        this.focus.set(path, tracked);
      }
      const read = await this.refreshFocusFile(tracked, book, now);
      if (read !== undefined) problems.push(...read.problems);
    }

    const neverRead: string[] = [];
    const failing: string[] = [];
    const note = (tracked: Tracked<unknown>): void => {
      const error = tracked.statError ?? tracked.readError;
      if (error === undefined) return;
      (tracked.good === undefined ? neverRead : failing).push(error.message);
    };
    note(this.priceBook);
    for (const tracked of this.focus.values()) note(tracked);
    for (const [input, error] of this.listingErrors) {
      (this.listings.has(input) ? failing : neverRead).push(error.message);
    }
    if (neverRead.length > 0) throw new SourceError(neverRead.join('; '));

    const goodFiles = [...this.focus.values()].flatMap((tracked) => (tracked.good === undefined ? [] : [tracked.good]));
    if (this.costs === undefined || this.costs.version !== this.version || this.costs.result.dependsOnNow) {
      const result = computeNodeCosts(book, goodFiles, { windowMs: this.windowMs, now });
      // Node-level problems follow the data: said once when it changes, not on every scrape.
      if (this.costs?.version !== this.version) problems.push(...result.problems);
      this.costs = { version: this.version, result };
    }
    const costs = this.costs.result;

    const statuses: BillingFileStatus[] = [{ file: this.priceBook.path, up: isUp(this.priceBook), rowsRejected: 0 }];
    for (const tracked of this.focus.values()) {
      statuses.push({
        file: tracked.path,
        up: isUp(tracked),
        rowsRejected: (tracked.good?.rowsRejected ?? 0) + (costs.rejectedRows.get(tracked.path) ?? 0),
      });
    }
    return {
      families: billingFamilies(costs.nodes, book.references, statuses),
      problems,
      stale: failing.length > 0 ? new SourceError(failing.join('; ')) : undefined,
    };
  }

  private async refreshPriceBook(): Promise<void> {
    const tracked = this.priceBook;
    const stamp = await this.stat(tracked, 'price book');
    if (stamp === undefined || sameStamp(stamp, tracked.stamp)) return;
    tracked.stamp = stamp;
    try {
      tracked.good = await loadPriceBook(tracked.path);
      tracked.readError = undefined;
      this.version++;
    } catch (err) {
      tracked.readError = asSourceError(err, tracked.path);
    }
  }

  /** Lists every FOCUS input; an input that cannot be listed keeps its last listing. */
  private async refreshListings(): Promise<Set<string>> {
    const files = new Set<string>();
    for (const input of this.opts.focus) {
      try {
        this.listings.set(input, await listFocusFiles(input));
        this.listingErrors.delete(input);
      } catch (err) {
        const previous = this.listings.get(input);
        if (previous?.length === 1 && previous[0] === input) {
          // A listed file that disappeared: its own state says so ("vanished"), once.
          this.listingErrors.delete(input);
        } else {
          this.listingErrors.set(input, new SourceError(`${input}: cannot read FOCUS input: ${(err as Error).message}`, { cause: err }));
        }
      }
      for (const file of this.listings.get(input) ?? []) files.add(file);
    }
    return files;
  }

  /** Reads a FOCUS file again when it or the price book changed; returns the new reading, if any. */
  private async refreshFocusFile(tracked: TrackedFocus, book: PriceBook, now: number): Promise<FocusFile | undefined> {
    const stamp = await this.stat(tracked, 'FOCUS file');
    if (stamp === undefined) return undefined;
    if (sameStamp(stamp, tracked.stamp) && tracked.readWith === book) return undefined;
    // The stamp is taken before reading: a file still being written is read again next time.
    tracked.stamp = stamp;
    tracked.readWith = book;
    try {
      const file = await readFocusFile(tracked.path, { priceBook: book, nodeTag: this.nodeTag, windowMs: this.windowMs, now });
      tracked.good = file;
      tracked.readError = undefined;
      this.version++;
      return file;
    } catch (err) {
      tracked.readError = asSourceError(err, tracked.path);
      return undefined;
    }
  }

  private async stat(tracked: Tracked<unknown>, what: string): Promise<FileStamp | undefined> {
    try {
      const stamp = await statFile(tracked.path);
      tracked.statError = undefined;
      return stamp;
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      const reason = missing ? (tracked.stamp === undefined ? 'not found' : 'vanished') : (err as Error).message;
      tracked.statError = new SourceError(`${tracked.path}: ${what} ${reason}`, { cause: err });
      return undefined;
    }
  }
}

function isUp(tracked: Tracked<unknown>): boolean {
  return tracked.statError === undefined && tracked.readError === undefined;
}

function asSourceError(err: unknown, path: string): SourceError {
  return err instanceof SourceError ? err : new SourceError(`${path}: ${(err as Error).message}`, { cause: err });
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason instanceof Error ? signal.reason : new SourceError('billing collection aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
