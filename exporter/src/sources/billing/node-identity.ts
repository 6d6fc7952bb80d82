import type { PriceBook, PriceBookEntry } from './pricebook.js';

/** Which node a FOCUS row is about, and whether something other than its GPU count says so. */
export interface RowNode {
  node: string;
  entry: PriceBookEntry | undefined;
  /**
   * True when the node tag, a price-book `resource_ids` or a price-book `match` claims the row. An
   * unclaimed row only concerns the fleet if it bills a GPU (SkuPriceDetails GpuCount); otherwise it
   * is some other resource of the same account (storage, network) and is ignored.
   */
  claimed: boolean;
}

/**
 * Names the node of a FOCUS row: the node tag's value, else the price-book entry whose
 * `resource_ids` holds the ResourceId, else ResourceName, else ResourceId. ResourceName and
 * ResourceId count as claimed when a price-book entry matches them (ResourceName first).
 */
export function identifyRowNode(
  tagNode: string | undefined,
  resourceId: string | undefined,
  resourceName: string | undefined,
  book: PriceBook,
): RowNode | undefined {
  if (tagNode !== undefined) return { node: tagNode, entry: book.entryFor(tagNode), claimed: true };
  if (resourceId !== undefined) {
    const owner = book.entryForResourceId(resourceId);
    if (owner !== undefined) return { node: owner.match, entry: owner, claimed: true };
  }
  if (resourceName !== undefined) {
    const entry = book.entryFor(resourceName);
    if (entry !== undefined) return { node: resourceName, entry, claimed: true };
  }
  if (resourceId !== undefined) {
    const entry = book.entryFor(resourceId);
    if (entry !== undefined) return { node: resourceId, entry, claimed: true };
  }
  const fallback = resourceName ?? resourceId;
  return fallback === undefined ? undefined : { node: fallback, entry: undefined, claimed: false };
}
