/** A signed-in browser: the API key it gave, held server-side, and its CSRF token. */
export interface Session {
  apiKey: string;
  csrfToken: string;
  expiresAt: number;
}

const TTL_MS = 12 * 60 * 60 * 1000;

/**
 * Dashboard sessions, in memory: the cookie carries a random id, never the key. A restart signs
 * everyone out, which is the safe side.
 */
export class Sessions {
  private readonly byId = new Map<string, Session>();

  open(apiKey: string): { id: string; session: Session } {
    this.sweep();
    const id = randomToken();
    const session = { apiKey, csrfToken: randomToken(), expiresAt: Date.now() + TTL_MS };
    this.byId.set(id, session);
    return { id, session };
  }

  find(id: string | null): Session | null {
    if (!id) return null;
    const session = this.byId.get(id);
    if (!session || session.expiresAt < Date.now()) {
      this.byId.delete(id);
      return null;
    }
    return session;
  }

  close(id: string | null): void {
    if (id) this.byId.delete(id);
  }

  static readonly maxAgeSeconds = TTL_MS / 1000;

  private sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.byId) if (s.expiresAt < now) this.byId.delete(id);
  }
}

function randomToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}
