/** COMPRESS=DEFLATE (RFC 4978): a raw client that deflates its commands and inflates the answers. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type * as tls from "node:tls";
import * as zlib from "node:zlib";
import { deliver, ImapClient, type ImapFixture, imapFixture, message, PASSWORD } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

/** After COMPRESS: lines read through an inflater, commands written through a deflater. */
class Deflated {
  private text = "";
  private waiters: (() => void)[] = [];
  private readonly deflate = zlib.createDeflateRaw();
  private readonly inflate = zlib.createInflateRaw();
  rawBytesIn = 0;

  constructor(socket: tls.TLSSocket) {
    socket.removeAllListeners("data");
    socket.on("data", (d: Buffer) => {
      this.rawBytesIn += d.length;
      this.inflate.write(d);
    });
    this.inflate.on("data", (d: Buffer) => {
      this.text += d.toString("latin1");
      for (const w of this.waiters.splice(0)) w();
    });
    this.deflate.on("data", (d: Buffer) => socket.write(d));
  }

  send(line: string): void {
    this.deflate.write(Buffer.from(line, "latin1"));
    this.deflate.flush(zlib.constants.Z_SYNC_FLUSH);
  }

  async line(): Promise<string> {
    for (;;) {
      const lf = this.text.indexOf("\n");
      if (lf >= 0) {
        const l = this.text.slice(0, lf).replace(/\r$/, "");
        this.text = this.text.slice(lf + 1);
        return l;
      }
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timeout; have ${JSON.stringify(this.text)}`)), 5000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async transact(command: string): Promise<string[]> {
    const tag = command.split(" ")[0] as string;
    this.send(`${command}\r\n`);
    const lines: string[] = [];
    for (;;) {
      const l = await this.line();
      lines.push(l);
      if (l.startsWith(`${tag} `)) return lines;
    }
  }
}

describe("COMPRESS=DEFLATE", () => {
  test("errors: before login, unknown mechanism", async () => {
    const c = await ImapClient.connect(f.port);
    expect((await c.transact("a1 COMPRESS DEFLATE")).tagged).toStartWith(
      "a1 BAD COMPRESS is not valid in this state",
    );
    const { email } = await f.account();
    await c.login(email);
    expect((await c.transact("a2 COMPRESS LZ4")).tagged).toBe("a2 BAD Unknown compression mechanism LZ4");
    c.close();
  });

  test("commands and answers compressed both ways; COMPRESS again is refused; IDLE pushes arrive", async () => {
    const { email, grantId } = await f.account();
    for (let i = 0; i < 50; i++) await deliver(f, grantId, message({ subject: `compressible ${i}` }));
    const c = await ImapClient.connect(f.port);
    await c.login(email);
    expect((await c.ok("a0 CAPABILITY"))[0]).toContain(" COMPRESS=DEFLATE");
    expect(await c.transact("a1 COMPRESS DEFLATE")).toEqual({ untagged: [], tagged: "a1 OK DEFLATE active" });
    const z = new Deflated(c.socket as tls.TLSSocket);
    expect(await z.transact("a2 COMPRESS DEFLATE")).toEqual([
      "a2 NO [COMPRESSIONACTIVE] DEFLATE is already active",
    ]);
    expect((await z.transact("a3 CAPABILITY"))[0]).not.toContain("COMPRESS=DEFLATE");
    const select = await z.transact("a4 SELECT INBOX");
    expect(select).toContain("* 50 EXISTS");
    const before = z.rawBytesIn;
    const fetched = await z.transact("a5 FETCH 1:* (UID FLAGS ENVELOPE)");
    expect(fetched).toHaveLength(51);
    expect(fetched[49]).toContain('"compressible 49"');
    const plainSize = fetched.join("\r\n").length;
    expect(z.rawBytesIn - before).toBeLessThan(plainSize / 3);
    z.send("i1 IDLE\r\n");
    expect(await z.line()).toBe("+ idling");
    await deliver(f, grantId, message());
    expect(await z.line()).toBe("* 51 EXISTS");
    z.send("DONE\r\n");
    await z.line();
    expect(await z.line()).toBe("i1 OK IDLE terminated");
    expect(await z.transact("z LOGOUT")).toEqual(["* BYE agentbox logging out", "z OK LOGOUT completed"]);
    c.close();
  });

  test("garbage that does not inflate closes the connection; the server goes on", async () => {
    const { email } = await f.account();
    const c = await ImapClient.connect(f.port);
    await c.login(email);
    await c.ok("a1 COMPRESS DEFLATE");
    c.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x12]));
    await new Promise((r) => setTimeout(r, 200));
    expect(c.closed).toBe(true);
    const d = await ImapClient.connect(f.port);
    expect((await d.transact(`b1 LOGIN ${email} ${PASSWORD}`)).tagged).toStartWith("b1 OK");
    d.close();
  });
});
