import type { Db } from "./db.ts";
import type { Store } from "./store.ts";

/**
 * Queries compiled once per store on its read connection, for reads on hot paths: drizzle builds
 * a query's SQL anew at every call (~45 µs for one row by key), a compiled query only binds its
 * placeholders (~2 µs more than the bare statement).
 */
export function compiledReads<T>(compile: (db: Db) => T): (store: Store) => T {
  const byStore = new WeakMap<Store, T>();
  return (store) => {
    let queries = byStore.get(store);
    if (!queries) {
      queries = store.read.$client.keepStatements(() => compile(store.read));
      byStore.set(store, queries);
    }
    return queries;
  };
}

/** The same, for code that is handed a connection (a read, or the actor's transaction) rather than the store. */
export function compiledOn<T>(compile: (db: Db) => T): (db: Db) => T {
  const byDb = new WeakMap<Db, T>();
  return (db) => {
    let queries = byDb.get(db);
    if (!queries) {
      queries = db.$client.keepStatements(() => compile(db));
      byDb.set(db, queries);
    }
    return queries;
  };
}
