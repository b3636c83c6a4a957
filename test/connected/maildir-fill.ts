import { spawnSync } from "node:child_process";
import { chownSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import type { PrivateDovecot } from "../support/dovecot.ts";

/**
 * Puts many messages into a private Dovecot user's INBOX at once, as maildir files (an IMAP APPEND
 * costs ~25 ms each): Dovecot indexes them at the next SELECT, with each file's mtime as its
 * INTERNALDATE. For tests and benches that need thousands of messages.
 */
export function fillMaildir(
  dovecot: Pick<PrivateDovecot, "dir">,
  user: string,
  messages: { raw: string | Buffer; internalDate: Date }[],
): void {
  const home = join(dovecot.dir, "mail", user);
  const cur = join(home, "cur");
  for (const sub of ["cur", "new", "tmp"]) mkdirSync(join(home, sub), { recursive: true });
  const owner = userInfo().uid === 0 ? { uid: id("-u"), gid: id("-g") } : null;
  const stamp = Date.now();
  messages.forEach(({ raw, internalDate }, i) => {
    const bytes = typeof raw === "string" ? Buffer.from(raw) : raw;
    const file = join(cur, `${Math.floor(stamp / 1000)}.M${i}P${process.pid}.agentbox,S=${bytes.length}:2,`);
    writeFileSync(file, bytes);
    const seconds = internalDate.getTime() / 1000;
    utimesSync(file, seconds, seconds);
    if (owner) chownSync(file, owner.uid, owner.gid);
  });
  if (owner)
    for (const path of [home, cur, join(home, "new"), join(home, "tmp")])
      chownSync(path, owner.uid, owner.gid);
}

function id(flag: "-u" | "-g"): number {
  return Number(spawnSync("id", [flag, "dovecot"]).stdout.toString().trim());
}
