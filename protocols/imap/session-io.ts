/** The connection under a session (connection.ts implements it). */
export interface SessionIO {
  readonly remoteAddress: string;
  /** The client connects from this machine (LOGINDISABLED does not apply). */
  readonly loopback: boolean;
  secure(): boolean;
  /** Plaintext listener before STARTTLS. */
  canStartTls(): boolean;
  startTls(): Promise<void>;
  /** Writes a binary string (one char per byte) or bytes, in order. */
  write(data: string | Uint8Array): void;
  /** Resolves once the output backlog is small again. */
  drained(): Promise<void>;
  /** The next raw line (AUTHENTICATE continuation, IDLE's DONE): null on close, "timeout". */
  readLine(timeoutMs?: number): Promise<Buffer | null | "timeout">;
  /** Flushes the output and closes. */
  close(): void;
  /** COMPRESS=DEFLATE (RFC 4978) is on. */
  compressed(): boolean;
  /** Turns on DEFLATE both ways, from the next byte on. */
  startCompression(): void;
}
