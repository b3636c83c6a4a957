/**
 * In-process fan-out by key (a grant id): subscribers of a key hear what is published for it, in
 * subscription order. A throwing listener never affects the others. Whoever publishes a committed
 * change does so after the commit.
 */
export class KeyedFanOut<T> {
  private readonly listeners = new Map<string, Set<(value: T) => void>>();

  subscribe(key: string, listener: (value: T) => void): () => void {
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  publish(key: string, value: T): void {
    const set = this.listeners.get(key);
    if (!set) return;
    for (const listener of set) {
      try {
        listener(value);
      } catch {
        // a subscriber's failure is its own
      }
    }
  }
}
