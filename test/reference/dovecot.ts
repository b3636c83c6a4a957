/**
 * A throwaway Dovecot (Debian's dovecot-imapd) for reference answers: its own configuration,
 * state and mail in a temporary directory, plaintext IMAP on a free loopback port, any user
 * with the password "pass". Run as root it drops to the package's dovecot/dovenull users.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "../support/process.ts";

export const DOVECOT_BINARY = "/usr/sbin/dovecot";

export interface DovecotInstance {
  port: number;
  stop(): Promise<void>;
}

export function dovecotInstalled(): boolean {
  return existsSync(DOVECOT_BINARY);
}

export async function startDovecot(): Promise<DovecotInstance> {
  const dir = mkdtempSync(join(tmpdir(), "agentbox-dovecot-"));
  chmodSync(dir, 0o755); // the mail user reaches its maildir through it
  const mail = join(dir, "mail");
  mkdirSync(mail);
  const root = userInfo().uid === 0;
  const mailUser = root ? "dovecot" : userInfo().username;
  if (root) {
    const ids = spawnSync("id", ["-u", mailUser]).stdout.toString().trim();
    const gid = spawnSync("id", ["-g", mailUser]).stdout.toString().trim();
    chownSync(mail, Number(ids), Number(gid));
  }
  const port = freePort();
  const conf = join(dir, "dovecot.conf");
  writeFileSync(
    conf,
    [
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `log_path = ${dir}/dovecot.log`,
      "protocols = imap",
      "listen = 127.0.0.1",
      "ssl = no",
      "disable_plaintext_auth = no",
      "auth_mechanisms = plain",
      `default_login_user = ${root ? "dovenull" : mailUser}`,
      `default_internal_user = ${root ? "dovecot" : mailUser}`,
      "first_valid_uid = 0",
      `mail_location = maildir:${mail}/%u`,
      "passdb {\n  driver = static\n  args = password=pass\n}",
      `userdb {\n  driver = static\n  args = uid=${mailUser} gid=${mailUser} home=${mail}/%u\n}`,
      `service imap-login {\n  chroot =\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      "service anvil {\n  chroot =\n}",
      "service imap {\n  process_limit = 10\n}",
      "",
    ].join("\n"),
  );
  // The master daemonizes and would keep piped stdio open: its errors go to the log file.
  const started = spawnSync(DOVECOT_BINARY, ["-c", conf], { stdio: "ignore" });
  if (started.status !== 0) throw new Error(`dovecot did not start: ${readLog(dir)}`);
  /** Stops the master (it ends its children), waits for it, then removes the directory. */
  const stop = async () => {
    const pidFile = join(dir, "run", "master.pid");
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").trim()) : 0;
    if (pid > 0 && alive(pid)) {
      process.kill(pid, "SIGTERM");
      for (let i = 0; i < 40 && alive(pid); i++) await Bun.sleep(50);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 50; i++) {
    if (await listening(port)) return { port, stop };
    await Bun.sleep(100);
  }
  await stop();
  throw new Error(`dovecot did not listen on ${port}: ${readLog(dir)}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function readLog(dir: string): string {
  const log = join(dir, "dovecot.log");
  return existsSync(log) ? readFileSync(log, "utf8") : "(no log)";
}
