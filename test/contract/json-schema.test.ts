import { describe, expect, test } from "bun:test";
import { SchemaValidator, unsupportedKeywords } from "./json-schema.ts";
import { checkNotification, checkResponse, loadReference } from "./reference.ts";
import { STRAY_KEYWORDS } from "./spec-defects.ts";

/** The contract test's validator must be able to fail: every keyword it enforces, shown failing. */

const v = new SchemaValidator({
  components: {
    schemas: {
      person: {
        type: "object",
        required: ["email"],
        properties: { email: { type: "string", format: "email" } },
      },
    },
  },
});
const fails = (schema: object, value: unknown) => v.validate(schema, value).violations.length > 0;

describe("each keyword fails when broken", () => {
  test("type, including integer and type lists", () => {
    expect(fails({ type: "string" }, 1)).toBe(true);
    expect(fails({ type: "integer" }, 1.5)).toBe(true);
    expect(fails({ type: "integer" }, 2)).toBe(false);
    expect(fails({ type: "object" }, [])).toBe(true);
    expect(fails({ type: "string" }, null)).toBe(true);
    expect(fails({ type: ["string", "null"] }, null)).toBe(false);
  });

  test("OpenAPI 3.0's nullable lets null through (a documented defect of the 3.1 document)", () => {
    expect(fails({ type: "string", nullable: true }, null)).toBe(false);
    expect(fails({ type: "string", nullable: true }, 3)).toBe(true);
  });

  test("enum, const, string and number bounds, formats", () => {
    expect(fails({ enum: ["a", "b"] }, "c")).toBe(true);
    expect(fails({ const: "x" }, "y")).toBe(true);
    expect(fails({ minLength: 1 }, "")).toBe(true);
    expect(fails({ maxLength: 2 }, "abc")).toBe(true);
    expect(fails({ pattern: "^a" }, "ba")).toBe(true);
    expect(fails({ minimum: 1 }, 0)).toBe(true);
    expect(fails({ maximum: 3 }, 4)).toBe(true);
    expect(fails({ format: "email" }, "nobody")).toBe(true);
    expect(fails({ format: "url" }, "not a url")).toBe(true);
    expect(fails({ format: "date-time" }, "yesterday")).toBe(true);
  });

  test("objects: required, nested properties, additionalProperties, maxProperties", () => {
    expect(fails({ required: ["id"] }, {})).toBe(true);
    expect(fails({ properties: { a: { type: "string" } } }, { a: 1 })).toBe(true);
    expect(fails({ properties: { a: {} }, additionalProperties: false }, { a: 1, b: 2 })).toBe(true);
    expect(fails({ additionalProperties: { type: "string" } }, { b: 2 })).toBe(true);
    expect(fails({ maxProperties: 1 }, { a: 1, b: 2 })).toBe(true);
  });

  test("arrays: items, minItems, maxItems, uniqueItems", () => {
    expect(fails({ items: { type: "string" } }, ["a", 1])).toBe(true);
    expect(fails({ minItems: 1 }, [])).toBe(true);
    expect(fails({ maxItems: 1 }, [1, 2])).toBe(true);
    expect(
      fails({ uniqueItems: true }, [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ]),
    ).toBe(true);
  });

  test("allOf, anyOf, oneOf (exactly one), not, discriminator", () => {
    expect(fails({ allOf: [{ type: "string" }, { minLength: 2 }] }, "a")).toBe(true);
    expect(fails({ anyOf: [{ type: "string" }, { type: "integer" }] }, true)).toBe(true);
    expect(fails({ oneOf: [{ type: "number" }, { type: "integer" }] }, 1)).toBe(true);
    expect(fails({ oneOf: [{ type: "number" }, { type: "integer" }] }, 1.5)).toBe(false);
    expect(fails({ not: { type: "string" } }, "a")).toBe(true);
    const tagged = {
      oneOf: [{ $ref: "#/components/schemas/person" }, { type: "object" }],
      discriminator: { propertyName: "kind", mapping: { person: "#/components/schemas/person" } },
    };
    expect(fails(tagged, { kind: "person" })).toBe(true);
  });

  test("$ref into the document, with the path of the violation", () => {
    const out = v.validate(
      { properties: { from: { items: { $ref: "#/components/schemas/person" } } } },
      {
        from: [{ email: "a@b" }, { name: "x" }],
      },
    );
    expect(out.violations).toEqual([{ path: "from[1]", message: "required field email is missing" }]);
  });
});

describe("extra fields", () => {
  test("a key no schema of the object declares is reported, with the component schema's name", () => {
    const out = v.validate(
      { allOf: [{ properties: { a: {} } }, { properties: { p: { $ref: "#/components/schemas/person" } } }] },
      { a: 1, b: 2, p: { email: "x@y", nick: "z" } },
    );
    expect(out.violations).toEqual([]);
    expect(out.extras).toEqual([
      { path: "", key: "b", schemas: [] },
      { path: "p", key: "nick", schemas: ["person"] },
    ]);
  });

  test("an open object (additionalProperties) or one whose schema names no property has none", () => {
    expect(v.validate({ properties: { a: {} }, additionalProperties: true }, { b: 1 }).extras).toEqual([]);
    expect(v.validate({ type: "object" }, { b: 1 }).extras).toEqual([]);
  });
});

describe("the vendored reference", () => {
  const ref = loadReference();

  test("uses no keyword the validator would silently ignore (but its known stray ones)", () => {
    const schemas = [
      ref.openapi.components.schemas,
      ...Object.values(ref.openapi.components.responses).map((r: any) =>
        Object.values(r.content ?? {}).map((c: any) => c.schema),
      ),
    ];
    const found = new Set<string>();
    for (const group of schemas)
      for (const s of Object.values(group as object)) unsupportedKeywords(s, found);
    for (const s of Object.values(ref.notifications)) unsupportedKeywords(s, found);
    expect([...found].sort()).toEqual([...STRAY_KEYWORDS].sort());
  });

  test("every patch of a spec defect still finds its defect", () => {
    expect(ref.stalePatches).toEqual([]);
  });

  test("a response with a wrong field, or an undeclared status, fails", () => {
    const bad = checkResponse(ref, "GET", "/v3/grants/{grant_id}/folders/{folder_id}", 200, {
      request_id: "r",
      data: { id: "inbox", name: 3 },
    });
    expect(bad.violations.map((x) => x.path)).toEqual(["data.name"]);
    const status = checkResponse(ref, "POST", "/v3/connectors", 200, { request_id: "r", data: {} });
    expect(status.violations[0]?.message).toContain("answered 200; the spec declares 201");
  });

  test("a notification with a wrong field fails", () => {
    const out = checkNotification(ref, {
      specversion: "1.0",
      type: "message.delivered",
      source: "/nylas/send",
      id: "n1",
      time: 1,
      data: { application_id: "a", object: { message: { from: [{ email: "a@b" }] }, delivered: {} } },
    });
    expect(out.violations.map((x) => x.path)).toEqual(["data.object.message.from"]);
  });

  // Calendars (issue 15): the triggers listed in unpublished-notifications.ts.
  test("a trigger without a published schema: held to its listed schema if listed, else reported", () => {
    const envelope = (type: string, object: unknown) => ({
      specversion: "1.0",
      type,
      source: "/nylas/calendar",
      id: "n1",
      time: 1,
      data: { application_id: "a", object },
    });
    const calendar = checkNotification(
      ref,
      envelope("calendar.updated", { id: "c", grant_id: "g", name: 3 }),
    );
    expect(calendar.violations.map((x) => x.path)).toEqual(["data.object.name"]);
    const deleted = checkNotification(
      ref,
      envelope("event.deleted", { id: "e", grant_id: "g", object: "event" }),
    );
    expect(deleted.violations).toEqual([]);
    const unlisted = checkNotification(ref, envelope("booking.created", { id: "x" }));
    expect(unlisted.violations.map((x) => x.message)).toEqual(["no schema for booking.created"]);
  });
});
