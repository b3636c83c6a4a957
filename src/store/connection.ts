import { Database, type Statement } from "bun:sqlite";
import { BeforeCommitWrites } from "./before-commit.ts";

/** Distinct SQL texts kept compiled; IN-lists of many lengths make this more than the query shapes. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * A bun:sqlite connection whose `prepare` reuses compiled statements (drizzle prepares every
 * query anew and never finalizes). Least recently used statements are finalized beyond the
 * cache size. Statements are only ever run synchronously, so sharing one is safe.
 */
export class CachingDatabase extends Database {
  private readonly statements = new Map<string, Statement>();
  /** Statements compiled once for the connection's life (compiledReads): never evicted. */
  private readonly kept = new Map<string, Statement>();
  private keeping = false;
  /** Writes the writer runs just before COMMIT (see before-commit.ts). */
  readonly beforeCommit = new BeforeCommitWrites();

  /** Runs `write` just before the open transaction commits (at once outside a transaction). */
  holdUntilCommit(write: () => void): void {
    this.beforeCommit.hold(this.inTransaction, write);
  }

  /**
   * Runs `compile`, keeping the statements it prepares for the connection's life: a caller that
   * holds a statement (drizzle's `.prepare()`) would otherwise find it finalized once evicted.
   */
  keepStatements<T>(compile: () => T): T {
    this.keeping = true;
    try {
      return compile();
    } finally {
      this.keeping = false;
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: matches bun:sqlite's own signature
  override prepare(sql: string, ...rest: any[]): Statement<any, any> {
    if (rest.length > 0) return super.prepare(sql, ...rest);
    const kept = this.kept.get(sql);
    if (kept) return kept;
    if (this.keeping) return this.keep(sql);
    const cached = this.statements.get(sql);
    if (cached) {
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const stmt = super.prepare(sql);
    this.statements.set(sql, stmt);
    if (this.statements.size > STATEMENT_CACHE_SIZE) {
      const [oldest, old] = this.statements.entries().next().value as [string, Statement];
      this.statements.delete(oldest);
      old.finalize();
    }
    return stmt;
  }

  private keep(sql: string): Statement {
    const stmt = this.statements.get(sql) ?? super.prepare(sql);
    this.statements.delete(sql);
    this.kept.set(sql, stmt);
    return stmt;
  }

  override close(throwOnError?: boolean): void {
    for (const stmt of [...this.statements.values(), ...this.kept.values()]) stmt.finalize();
    this.statements.clear();
    this.kept.clear();
    super.close(throwOnError);
  }
}
