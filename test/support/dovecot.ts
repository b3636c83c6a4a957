/**
 * A private Dovecot (Debian's dovecot-imapd) standing in for a person's IMAP provider in tests and
 * benches: its own configuration, certificate, users and mail in a temporary directory, on free
 * loopback ports: implicit TLS (993-style) and plaintext with STARTTLS (143-style). The
 * certificate is signed by a throwaway CA whose PEM file the caller gets (`caFile`). Users live in
 * a passwd-file, re-read by Dovecot when it changes, so `setPassword` holds from the next login.
 * `stop()` and `start()` keep the ports and the mail (a provider going away and coming back);
 * `destroy()` stops it and removes everything. Run as root it drops to the package's
 * dovecot/dovenull users.
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
  utimesSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { ImapFlow } from "imapflow";
import { freePort } from "./process.ts";
import { api, type TestServer } from "./server.ts";

export const DOVECOT_BINARY = "/usr/sbin/dovecot";

export interface DeliverOptions {
  /** Mailbox name at the provider; created when missing. Default INBOX. */
  folder?: string;
  internalDate?: Date;
  /** IMAP flags, e.g. ["\\Seen", "\\Flagged"]. */
  flags?: string[];
}

export interface PrivateDovecot {
  host: "127.0.0.1";
  /** Implicit TLS from the first byte (993-style). */
  tlsPort: number;
  /** Plaintext greeting, STARTTLS offered (143-style). */
  starttlsPort: number;
  /** PEM file of the CA that signed the server certificate (valid for 127.0.0.1 and localhost). */
  caFile: string;
  /** The CA's PEM text (what `caFile` holds). */
  ca: string;
  dir: string;
  /** Resolves once Dovecot will see the user (up to a second: its passwd-file check). */
  addUser(user: string, pass: string): Promise<void>;
  /** Resolves once it takes effect for the user's next login; sessions already open stay. */
  setPassword(user: string, pass: string): Promise<void>;
  /** Appends a message into a user's mailbox (an IMAP APPEND as that user); returns its UID. */
  deliver(user: string, raw: string | Buffer, options?: DeliverOptions): Promise<number | undefined>;
  /** A logged-in imapflow client as that user over implicit TLS (the caller logs out). */
  connectAs(user: string): Promise<ImapFlow>;
  /** Dovecot's own log so far. */
  log(): string;
  /** Stops the server; mail, users and ports stay for `start()`. */
  stop(): Promise<void>;
  /** Starts it again on the same ports and data. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  destroy(): Promise<void>;
}

export function dovecotInstalled(): boolean {
  return existsSync(DOVECOT_BINARY);
}

export async function startPrivateDovecot(): Promise<PrivateDovecot> {
  const dir = mkdtempSync(join(tmpdir(), "agentbox-provider-"));
  chmodSync(dir, 0o755); // the mail user reaches its maildir through it
  const mail = join(dir, "mail");
  mkdirSync(mail);
  const root = userInfo().uid === 0;
  const mailUser = root ? "dovecot" : userInfo().username;
  if (root) chownSync(mail, numericId("-u", mailUser), numericId("-g", mailUser));
  const { caFile, certFile, keyFile } = makeCertificates(dir);
  const passwdFile = join(dir, "users");
  const passwords = new Map<string, string>();
  let stamp = Math.floor(Date.now() / 1000);
  /**
   * Dovecot re-reads the file when its mtime (in seconds) or size changed, at most once a
   * second: each write gets a later mtime, then waits for the next second.
   */
  const writeUsers = async () => {
    const lines = [...passwords].map(([user, pass]) => `${user}:{PLAIN}${pass}::::::`);
    writeFileSync(passwdFile, `${lines.join("\n")}\n`);
    if (root) chownSync(passwdFile, numericId("-u", "dovecot"), numericId("-g", "dovecot"));
    stamp = Math.max(stamp + 1, Math.floor(Date.now() / 1000));
    utimesSync(passwdFile, stamp, stamp);
    await Bun.sleep(1000 - (Date.now() % 1000) + 20);
  };
  await writeUsers();
  const tlsPort = freePort();
  const starttlsPort = freePort();
  const conf = join(dir, "dovecot.conf");
  writeFileSync(
    conf,
    configuration({ dir, mail, mailUser, root, passwdFile, certFile, keyFile, tlsPort, starttlsPort }),
  );
  const ca = readFileSync(caFile, "utf8");

  const start = async () => {
    const started = spawnSync(DOVECOT_BINARY, ["-c", conf], { stdio: "ignore" });
    if (started.status !== 0) throw new Error(`dovecot did not start: ${readLog(dir)}`);
    for (let i = 0; i < 50; i++) {
      if ((await listening(tlsPort)) && (await listening(starttlsPort))) return;
      await Bun.sleep(100);
    }
    await stop();
    throw new Error(`dovecot did not listen on ${tlsPort}/${starttlsPort}: ${readLog(dir)}`);
  };
  /** Stops the master (it ends its children) and waits until the ports are free. */
  const stop = async () => {
    const pidFile = join(dir, "run", "master.pid");
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").trim()) : 0;
    if (pid > 0 && alive(pid)) {
      process.kill(pid, "SIGTERM");
      for (let i = 0; i < 100 && alive(pid); i++) await Bun.sleep(50);
    }
    for (let i = 0; i < 50 && ((await listening(tlsPort)) || (await listening(starttlsPort))); i++) {
      await Bun.sleep(50);
    }
  };
  const connectAs = async (user: string) => {
    const pass = passwords.get(user);
    if (pass === undefined) throw new Error(`no such provider user: ${user}`);
    const client = new ImapFlow({
      host: "127.0.0.1",
      port: tlsPort,
      secure: true,
      auth: { user, pass },
      tls: { ca: [ca] },
      logger: false,
    });
    client.on("error", () => {}); // a dropped connection shows as the next command's rejection
    await client.connect();
    return client;
  };

  await start();
  return {
    host: "127.0.0.1",
    tlsPort,
    starttlsPort,
    caFile,
    ca,
    dir,
    addUser(user, pass) {
      passwords.set(user, pass);
      return writeUsers();
    },
    async setPassword(user, pass) {
      if (!passwords.has(user)) throw new Error(`no such provider user: ${user}`);
      passwords.set(user, pass);
      await writeUsers();
    },
    async deliver(user, raw, options = {}) {
      const folder = options.folder ?? "INBOX";
      const client = await connectAs(user);
      try {
        if (folder.toUpperCase() !== "INBOX") {
          const exists = (await client.list()).some((box) => box.path === folder);
          if (!exists) await client.mailboxCreate(folder);
        }
        const appended = await client.append(folder, raw, options.flags ?? [], options.internalDate);
        return appended ? appended.uid : undefined;
      } finally {
        await client.logout().catch(() => client.close());
      }
    },
    connectAs,
    log: () => readLog(dir),
    stop,
    start,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface ConfigurationInput {
  dir: string;
  mail: string;
  mailUser: string;
  root: boolean;
  passwdFile: string;
  certFile: string;
  keyFile: string;
  tlsPort: number;
  starttlsPort: number;
}

function configuration(c: ConfigurationInput): string {
  const specialUse = [
    ["Sent", "\\Sent"],
    ["Drafts", "\\Drafts"],
    ["Trash", "\\Trash"],
    ["Junk", "\\Junk"],
    ["Archive", "\\Archive"],
  ]
    .map(([name, use]) => `  mailbox ${name} {\n    special_use = ${use}\n    auto = subscribe\n  }`)
    .join("\n");
  return [
    `base_dir = ${c.dir}/run`,
    `state_dir = ${c.dir}/state`,
    `log_path = ${c.dir}/dovecot.log`,
    "protocols = imap",
    "listen = 127.0.0.1",
    "ssl = yes",
    `ssl_cert = <${c.certFile}`,
    `ssl_key = <${c.keyFile}`,
    "disable_plaintext_auth = no",
    "auth_mechanisms = plain login",
    "auth_failure_delay = 0",
    `default_login_user = ${c.root ? "dovenull" : c.mailUser}`,
    `default_internal_user = ${c.root ? "dovecot" : c.mailUser}`,
    "first_valid_uid = 0",
    `mail_location = maildir:${c.mail}/%u`,
    "mail_max_userip_connections = 100",
    "imap_idle_notify_interval = 1 mins",
    `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${c.passwdFile}\n}`,
    `userdb {\n  driver = static\n  args = uid=${c.mailUser} gid=${c.mailUser} home=${c.mail}/%u\n}`,
    `namespace inbox {\n  inbox = yes\n  separator = /\n${specialUse}\n}`,
    "service imap-login {",
    "  chroot =",
    `  inet_listener imap {\n    address = 127.0.0.1\n    port = ${c.starttlsPort}\n  }`,
    `  inet_listener imaps {\n    address = 127.0.0.1\n    port = ${c.tlsPort}\n    ssl = yes\n  }`,
    "}",
    // No auth penalty (each failed login slowing the next ones from the address by seconds).
    "service anvil {\n  chroot =\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}",
    "service imap {\n  process_limit = 1000\n}",
    "",
  ].join("\n");
}

/** A throwaway CA and a server certificate it signs, for 127.0.0.1 and localhost. */
function makeCertificates(dir: string): { caFile: string; certFile: string; keyFile: string } {
  const tls = join(dir, "tls");
  mkdirSync(tls);
  const caFile = join(tls, "ca.pem");
  const caKey = join(tls, "ca-key.pem");
  const certFile = join(tls, "server.pem");
  const keyFile = join(tls, "server-key.pem");
  const csr = join(tls, "server.csr");
  const ext = join(tls, "server.ext");
  writeFileSync(
    ext,
    "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n",
  );
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl([
    "req",
    "-x509",
    ...ec,
    "-keyout",
    caKey,
    "-out",
    caFile,
    "-days",
    "2",
    "-subj",
    "/CN=agentbox test provider CA",
  ]);
  openssl(["req", "-new", ...ec, "-keyout", keyFile, "-out", csr, "-subj", "/CN=127.0.0.1"]);
  openssl([
    "x509",
    "-req",
    "-in",
    csr,
    "-CA",
    caFile,
    "-CAkey",
    caKey,
    "-CAcreateserial",
    "-out",
    certFile,
    "-days",
    "2",
    "-extfile",
    ext,
  ]);
  return { caFile, certFile, keyFile };
}

function openssl(args: string[]): void {
  const run = spawnSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr?.toString()}`);
}

function numericId(flag: "-u" | "-g", user: string): number {
  return Number(spawnSync("id", [flag, user]).stdout.toString().trim());
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

/**
 * POST /v3/connect/custom for `user` at this Dovecot over implicit TLS, as an agent would connect
 * a person's mailbox; `settings` add to or override the IMAP/SMTP settings sent.
 */
export function connectImap(
  t: Pick<TestServer, "url" | "apiKey">,
  provider: Pick<PrivateDovecot, "tlsPort">,
  user: string,
  password: string,
  settings: Record<string, unknown> = {},
  key?: string,
) {
  const body = {
    provider: "imap",
    settings: {
      imap_username: user,
      imap_password: password,
      imap_host: "127.0.0.1",
      imap_port: provider.tlsPort,
      smtp_host: "127.0.0.1",
      smtp_port: 587,
      ...settings,
    },
  };
  return key === undefined
    ? api(t, "POST", "/v3/connect/custom", body)
    : api(t, "POST", "/v3/connect/custom", body, key);
}
