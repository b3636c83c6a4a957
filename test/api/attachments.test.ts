import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash, randomBytes } from "node:crypto";
import Nylas from "nylas";
import { deliver } from "../fixtures/mail.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createAccount, expectError } from "./helpers.ts";

/** /v3/grants/{id}/attachments/{id}[/download]?message_id= (reference §4.4). */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const newGrant = async (): Promise<string> => (await createAccount(t)).id;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Every byte value, after a PDF header. */
const PDF = Buffer.concat([
  Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1"),
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from("\n%%EOF\n"),
]);
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000a49444154789c6360000000020001e221bc330000000049454e44ae426082",
  "hex",
);
const CSV = Buffer.from("name,amount\nrésumé,€12\n", "utf8");
const UTF8_NAME = "€ résumé (final) l'été.csv";

/** RFC 5987 ext-value: charset'lang'pct-encoded attr-chars. */
function decodeExtValue(header: string): string | null {
  const m = /filename\*=([^;]+)/i.exec(header);
  if (!m?.[1]) return null;
  const value = m[1].trim();
  const ext = /^UTF-8'[^']*'((?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-Fa-f]{2})*)$/i.exec(value);
  if (!ext?.[1]) throw new Error(`filename* is not a valid RFC 5987 ext-value: ${value}`);
  return decodeURIComponent(ext[1]);
}

describe("attachments", () => {
  let grantId: string;
  let messageId: string;
  let byName: Map<string, Record<string, any>>;
  const path = (id: string, rest = "", query = `?message_id=${messageId}`) =>
    `/v3/grants/${grantId}/attachments/${id}${rest}${query}`;
  const att = (filename: string) => {
    const a = byName.get(filename);
    if (!a) throw new Error(`no attachment ${filename}`);
    return a;
  };

  beforeAll(async () => {
    grantId = await newGrant();
    const reply = await deliver(t, grantId, {
      subject: "Files",
      html: '<p>See the chart:</p><img src="cid:chart@example.com">',
      attachments: [
        { filename: "report.pdf", contentType: 'application/pdf; name="report.pdf"', content: PDF },
        {
          filename: "chart.png",
          contentType: "image/png",
          content: PNG,
          contentId: "chart@example.com",
          inline: true,
        },
        {
          contentType: "text/csv; charset=utf-8",
          content: CSV,
          disposition: `attachment; filename*=UTF-8''${encodeURIComponent(UTF8_NAME).replace(/['()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
        },
      ],
    });
    messageId = reply.id;
    const message = await api(t, "GET", `/v3/grants/${grantId}/messages/${messageId}`);
    byName = new Map(message.body.data.attachments.map((a: any) => [a.filename, a]));
  });

  test("message_id missing is a 400, for metadata and download alike", async () => {
    const id = att("report.pdf").id;
    expectError(await api(t, "GET", path(id, "", "")), 400, "invalid_request_error", "message_id");
    expectError(await api(t, "GET", path(id, "/download", "")), 400, "invalid_request_error", "message_id");
  });

  test("unknown attachment, unknown message, another message, another grant: JSON 404s", async () => {
    const id = att("report.pdf").id;
    expectError(await api(t, "GET", path("nosuchattachment")), 404, "not_found_error");
    expectError(await api(t, "GET", path("nosuchattachment", "/download")), 404, "not_found_error");
    expectError(await api(t, "GET", path(id, "", "?message_id=nosuchmessage")), 404, "not_found_error");
    const other = await deliver(t, grantId, {});
    expectError(
      await api(t, "GET", path(id, "/download", `?message_id=${other.id}`)),
      404,
      "not_found_error",
    );
    const stranger = await newGrant();
    const theirs = `/v3/grants/${stranger}/attachments/${id}`;
    expectError(await api(t, "GET", `${theirs}?message_id=${messageId}`), 404, "not_found_error");
    expectError(await api(t, "GET", `${theirs}/download?message_id=${messageId}`), 404, "not_found_error");
  });

  test("the message lists them; metadata has exactly the §4.4 fields (no Content-ID: none)", async () => {
    expect([...byName.keys()]).toEqual(["report.pdf", "chart.png", UTF8_NAME]);
    const res = await api(t, "GET", path(att("report.pdf").id));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      id: att("report.pdf").id,
      grant_id: grantId,
      filename: "report.pdf",
      content_type: 'application/pdf; name="report.pdf"',
      size: PDF.length,
      content_disposition: "attachment",
      is_inline: false,
    });
    const inline = await api(t, "GET", path(att("chart.png").id));
    expect(inline.body.data).toMatchObject({
      filename: "chart.png",
      content_type: "image/png",
      size: PNG.length,
      content_id: "chart@example.com",
      content_disposition: "inline",
      is_inline: true,
    });
    const csv = await api(t, "GET", path(att(UTF8_NAME).id));
    expect(csv.body.data).toMatchObject({ filename: UTF8_NAME, size: CSV.length, is_inline: false });
  });

  test("download: the exact decoded bytes with the part's content type", async () => {
    const cases: [string, Buffer, string][] = [
      ["report.pdf", PDF, "application/pdf"],
      ["chart.png", PNG, "image/png"],
      [UTF8_NAME, CSV, "text/csv"],
    ];
    for (const [name, bytes, type] of cases) {
      const res = await fetch(`${t.url}${path(att(name).id, "/download")}`, {
        headers: { authorization: `Bearer ${t.apiKey}`, accept: "application/json" },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(type);
      expect(res.headers.get("content-length")).toBe(String(bytes.length));
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    }
  });

  test("download: Content-Disposition names the file, UTF-8 names as a valid RFC 5987 filename*", async () => {
    for (const name of ["report.pdf", UTF8_NAME]) {
      const res = await fetch(`${t.url}${path(att(name).id, "/download")}`, {
        headers: { authorization: `Bearer ${t.apiKey}` },
      });
      const disposition = res.headers.get("content-disposition") ?? "";
      expect(disposition).toStartWith("attachment;");
      expect(decodeExtValue(disposition)).toBe(name);
      await res.arrayBuffer();
    }
  });

  test("the SDK's downloadBytes and find work against it", async () => {
    const nylas = new Nylas({ apiKey: t.apiKey, apiUri: t.url });
    const id = att("chart.png").id;
    const bytes = await nylas.attachments.downloadBytes({
      identifier: grantId,
      attachmentId: id,
      queryParams: { messageId },
    });
    expect(Buffer.from(bytes).equals(PNG)).toBe(true);
    const found = await nylas.attachments.find({
      identifier: grantId,
      attachmentId: id,
      queryParams: { messageId },
    });
    expect(found.data).toMatchObject({
      id,
      filename: "chart.png",
      contentId: "chart@example.com",
      isInline: true,
    });
  });
});

describe("RFC 2231 continuations (test/fixtures/eml/09)", () => {
  test("filename*0*/filename*1* is decoded and the bytes come back exact", async () => {
    const grantId = await newGrant();
    const raw = await Bun.file(new URL("../fixtures/eml/09-rfc2231-filename.eml", import.meta.url)).bytes();
    const { id } = await t.server.mailboxes.ask(grantId, "append", { folderId: "inbox", raw });
    const message = await api(t, "GET", `/v3/grants/${grantId}/messages/${id}`);
    const [pdf, txt] = message.body.data.attachments;
    expect(pdf.filename).toBe("€ rapport final.pdf");
    expect(txt.filename).toBe("résumé.txt");
    const res = await fetch(`${t.url}/v3/grants/${grantId}/attachments/${pdf.id}/download?message_id=${id}`, {
      headers: { authorization: `Bearer ${t.apiKey}` },
    });
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    const latin1 = await fetch(
      `${t.url}/v3/grants/${grantId}/attachments/${txt.id}/download?message_id=${id}`,
      {
        headers: { authorization: `Bearer ${t.apiKey}` },
      },
    );
    expect(Buffer.from(await latin1.arrayBuffer()).toString("latin1")).toBe("Résumé en français.\r\n");
  });
});

describe("a 20 MB attachment", () => {
  test("is stored and downloaded byte-exact (SHA-256)", async () => {
    const grantId = await newGrant();
    const blob = randomBytes(20 * 1024 * 1024);
    const { id: messageId } = await deliver(t, grantId, {
      subject: "Big file",
      attachments: [{ filename: "big.bin", contentType: "application/octet-stream", content: blob }],
    });
    const message = await api(t, "GET", `/v3/grants/${grantId}/messages/${messageId}`);
    const [a] = message.body.data.attachments;
    expect(a).toMatchObject({
      filename: "big.bin",
      size: blob.length,
      content_type: "application/octet-stream",
    });
    const res = await fetch(
      `${t.url}/v3/grants/${grantId}/attachments/${a.id}/download?message_id=${messageId}`,
      {
        headers: { authorization: `Bearer ${t.apiKey}` },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(blob.length));
    expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(sha256(blob));
  }, 30_000);
});
