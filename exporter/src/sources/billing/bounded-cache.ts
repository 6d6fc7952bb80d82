/**
 * A memo for values that repeat across the rows of a bill (timestamps, tag sets, node names).
 * When full it starts over rather than tracking recency: cheaper per row, and a bill's repeats
 * are local (one hour's line items, one node's rows).
 */
export class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(key, value);
  }
}
