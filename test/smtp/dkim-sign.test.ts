import { describe, expect, test } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { dkimVerify } from "mailauth";
import { signMessage } from "../../src/smtp/outbound/dkim.ts";

/**
 * Outbound DKIM signatures (issue 12, defect 12): they verify, and a relay cannot extend the
 * message with a second Subject or Date, or a Reply-To / Cc it lacked (RFC 6376 §8.15).
 */

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const key = {
  domain: "signer.example",
  selector: "s1",
  privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
};
const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: "spki", format: "der" }).toString("base64")}`;
const resolver = async (name: string, rrtype: string) => {
  if (rrtype === "TXT" && name === "s1._domainkey.signer.example") return [[record]];
  throw Object.assign(new Error(`no ${rrtype} for ${name}`), { code: "ENOTFOUND" });
};

const MESSAGE =
  "From: Alice <alice@signer.example>\r\n" +
  "To: bob@remote.example\r\n" +
  "Subject:  Quarterly   figures\r\n" +
  "Date: Tue, 01 Sep 2026 10:00:00 +0000\r\n" +
  "Message-ID: <q3@signer.example>\r\n" +
  "MIME-Version: 1.0\r\n" +
  "Content-Type: text/plain; charset=utf-8\r\n" +
  "\r\n" +
  "Revenue is up.  \r\n\r\n\r\n";

async function verdict(raw: Buffer | string): Promise<string> {
  const { results } = await dkimVerify(Buffer.from(raw), { resolver: resolver as never });
  return results[0]?.status.result ?? "none";
}

/** The signed message with `line` inserted as a header field right after the signature (a relay's edit). */
function withField(signed: Buffer, line: string): string {
  const text = signed.toString("latin1");
  const at = text.indexOf("\r\nFrom: ") + 2;
  return `${text.slice(0, at)}${line}\r\n${text.slice(at)}`;
}

describe("outbound DKIM signing", () => {
  test("the signature verifies, and survives what relaxed canonicalization allows", async () => {
    const signed = await signMessage(Buffer.from(MESSAGE), key);
    expect(signed.toString("latin1")).toMatch(
      /^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=signer\.example; s=s1;\r\n/,
    );
    expect(await verdict(signed)).toBe("pass");
    const refolded = signed.toString("latin1").replace("Subject:  Quarterly", "Subject: Quarterly\r\n\t");
    expect(await verdict(`${refolded}\r\n`)).toBe("pass");
  });

  test("h= names From, To, Cc, Subject, Date, Reply-To and Message-ID once more than they occur", async () => {
    const signed = (await signMessage(Buffer.from(MESSAGE), key)).toString("latin1");
    const h = /\bh=([^;]+);/.exec(signed)?.[1]?.replace(/\s+/g, "") ?? "";
    const names = h.split(":");
    const count = (n: string) => names.filter((x) => x === n).length;
    expect([count("from"), count("to"), count("subject"), count("date"), count("message-id")]).toEqual([
      2, 2, 2, 2, 2,
    ]);
    expect([count("cc"), count("reply-to")]).toEqual([1, 1]);
    expect(count("content-type")).toBe(1);
  });

  test("a second Subject or Date, or an added Reply-To or Cc, breaks the signature", async () => {
    const signed = await signMessage(Buffer.from(MESSAGE), key);
    for (const line of [
      "Subject: Wire the money today",
      "Date: Wed, 02 Sep 2026 10:00:00 +0000",
      "Reply-To: attacker@evil.example",
      "Cc: someone@evil.example",
      "From: ceo@signer.example",
    ]) {
      expect(await verdict(withField(signed, line)), line).toBe("fail");
    }
    const appended = signed
      .toString("latin1")
      .replace("\r\n\r\nRevenue", "\r\nSubject: again\r\n\r\nRevenue");
    expect(await verdict(appended)).toBe("fail");
  });

  test("a message without a body, and one with LF line ends, verify", async () => {
    expect(
      await verdict(await signMessage(Buffer.from("From: a@signer.example\r\nSubject: x\r\n\r\n"), key)),
    ).toBe("pass");
    const lf = MESSAGE.replace(/\r\n/g, "\n");
    const signed = await signMessage(Buffer.from(lf), key);
    expect(await verdict(signed.toString("latin1").replace(/\r?\n/g, "\r\n"))).toBe("pass");
  });
});
