/**
 * A JSON Schema (2020-12) validator for the keywords Nylas's OpenAPI document and notification
 * schemas use, written for the contract test: it reports every violation with the instance path,
 * and every *extra* field (a key of an object whose schemas declare properties, none of which is
 * that key), so the test can hold extras to the list docs/api.md publishes.
 *
 * One deviation from 2020-12, which the notification README lists as a defect of the spec: the
 * document uses OpenAPI 3.0's `nullable: true`, which 3.1 dropped; it is honoured (null passes).
 * `supportedKeywords` lets a test prove that nothing in a document is silently ignored.
 */

type Schema = Record<string, any>;

export interface Violation {
  /** `data.from[0].email` */
  path: string;
  message: string;
}

export interface Extra {
  /** The instance path of the object. */
  path: string;
  key: string;
  /** The component schemas (`#/components/schemas/<name>`) the object was checked against. */
  schemas: string[];
}

export interface Outcome {
  violations: Violation[];
  extras: Extra[];
}

const ASSERTIONS = new Set([
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "additionalProperties",
  "maxProperties",
  "minProperties",
  "items",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "format",
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "$ref",
  "nullable",
  "discriminator",
]);

/** Keywords that only annotate (no effect on validity). */
const ANNOTATIONS = new Set([
  "$schema",
  "$id",
  "title",
  "description",
  "example",
  "examples",
  "default",
  "readOnly",
  "writeOnly",
  "deprecated",
]);

export function isSupportedKeyword(keyword: string): boolean {
  return ASSERTIONS.has(keyword) || ANNOTATIONS.has(keyword) || keyword.startsWith("x-");
}

/** Every keyword of `schema` (and its subschemas) this validator does not know. */
export function unsupportedKeywords(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const s of schema) unsupportedKeywords(s, found);
    return found;
  }
  if (schema === null || typeof schema !== "object") return found;
  for (const [k, v] of Object.entries(schema as Schema)) {
    if (!isSupportedKeyword(k)) found.add(k);
    if (k === "properties" || k === "$defs") {
      for (const sub of Object.values(v as Schema)) unsupportedKeywords(sub, found);
    } else if (["items", "additionalProperties", "not"].includes(k)) {
      unsupportedKeywords(v, found);
    } else if (["allOf", "anyOf", "oneOf"].includes(k)) {
      unsupportedKeywords(v, found);
    }
  }
  return found;
}

/** What an object at one instance path was checked against, merged over allOf/anyOf/oneOf. */
interface Declared {
  value: Record<string, unknown>;
  keys: Set<string>;
  /** Some schema declared properties (else nothing is "extra": the spec said nothing). */
  hasProperties: boolean;
  /** additionalProperties was true or a schema: any key is declared. */
  open: boolean;
  schemas: Set<string>;
}

class Run {
  violations: Violation[] = [];
  declared = new Map<string, Declared>();

  merge(other: Run): void {
    this.violations.push(...other.violations);
    for (const [path, d] of other.declared) {
      const mine = this.declared.get(path);
      if (!mine) {
        this.declared.set(path, d);
        continue;
      }
      for (const k of d.keys) mine.keys.add(k);
      for (const s of d.schemas) mine.schemas.add(s);
      mine.hasProperties ||= d.hasProperties;
      mine.open ||= d.open;
    }
  }
}

export class SchemaValidator {
  /** `root` is the document `$ref`s point into (`#/components/...`). */
  constructor(private readonly root: Schema = {}) {}

  validate(schema: Schema, value: unknown, path = ""): Outcome {
    const run = new Run();
    this.check(schema, value, path, run, new Set());
    const extras: Extra[] = [];
    for (const [p, d] of run.declared) {
      if (!d.hasProperties || d.open) continue;
      for (const key of Object.keys(d.value)) {
        if (!d.keys.has(key)) extras.push({ path: p, key, schemas: [...d.schemas].sort() });
      }
    }
    return { violations: run.violations, extras };
  }

  resolve(ref: string): Schema {
    if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported: ${ref}`);
    let node: any = this.root;
    for (const raw of ref.slice(2).split("/")) {
      node = node?.[raw.replaceAll("~1", "/").replaceAll("~0", "~")];
    }
    if (node === undefined) throw new Error(`$ref ${ref} resolves to nothing`);
    return node;
  }

  private check(schema: Schema | boolean, value: unknown, path: string, run: Run, names: Set<string>): void {
    if (schema === true) return;
    if (schema === false) {
      run.violations.push({ path, message: "no value is allowed here" });
      return;
    }
    const fail = (message: string) => run.violations.push({ path: path || "(root)", message });
    if (schema.nullable === true && value === null) return;
    if (typeof schema.$ref === "string") {
      const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
      this.check(this.resolve(schema.$ref), value, path, run, name ? new Set([...names, name]) : names);
    }
    if (schema.type !== undefined && !matchesType(schema.type, value)) {
      fail(`expected ${[schema.type].flat().join(" or ")}, got ${describe(value)}`);
      return;
    }
    if (schema.enum && !schema.enum.some((e: unknown) => same(e, value))) {
      fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    }
    if ("const" in schema && !same(schema.const, value)) fail(`must be ${JSON.stringify(schema.const)}`);
    if (typeof value === "string") this.checkString(schema, value, fail);
    if (typeof value === "number") this.checkNumber(schema, value, fail);
    if (Array.isArray(value)) this.checkArray(schema, value, path, run, fail);
    else if (value !== null && typeof value === "object") {
      this.checkObject(schema, value as Record<string, unknown>, path, run, names, fail);
    }
    this.checkCombinations(schema, value, path, run, names, fail);
  }

  private checkString(schema: Schema, value: string, fail: (m: string) => void): void {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) {
      fail(`shorter than ${schema.minLength} characters (${JSON.stringify(value)})`);
    }
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      fail(`longer than ${schema.maxLength} characters`);
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
      fail(`does not match ${schema.pattern}`);
    }
    if (schema.format !== undefined && !matchesFormat(schema.format, value)) {
      fail(`${JSON.stringify(value)} is not a valid ${schema.format}`);
    }
  }

  private checkNumber(schema: Schema, value: number, fail: (m: string) => void): void {
    if (schema.minimum !== undefined && value < schema.minimum) fail(`${value} is below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) fail(`${value} is above ${schema.maximum}`);
  }

  private checkArray(schema: Schema, value: unknown[], path: string, run: Run, fail: (m: string) => void) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      fail(`fewer than ${schema.minItems} items`);
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      fail(`more than ${schema.maxItems} items`);
    }
    if (schema.uniqueItems === true) {
      const seen = new Set(value.map((v) => canonical(v)));
      if (seen.size !== value.length) fail("items are not unique");
    }
    if (schema.items !== undefined) {
      value.forEach((item, i) => {
        this.check(schema.items, item, `${path}[${i}]`, run, new Set());
      });
    }
  }

  private checkObject(
    schema: Schema,
    value: Record<string, unknown>,
    path: string,
    run: Run,
    names: Set<string>,
    fail: (m: string) => void,
  ): void {
    const props: Schema = schema.properties ?? {};
    for (const key of schema.required ?? []) {
      if (!(key in value)) fail(`required field ${key} is missing`);
    }
    for (const [key, sub] of Object.entries(props)) {
      if (key in value) this.check(sub, value[key], join(path, key), run, new Set());
    }
    const additional = schema.additionalProperties;
    const undeclared = Object.keys(value).filter((k) => !(k in props));
    if (additional === false && undeclared.length > 0) {
      fail(`fields not allowed here: ${undeclared.join(", ")}`);
    } else if (additional !== undefined && additional !== true && additional !== false) {
      for (const key of undeclared) this.check(additional, value[key], join(path, key), run, new Set());
    }
    const count = Object.keys(value).length;
    if (schema.maxProperties !== undefined && count > schema.maxProperties) {
      fail(`more than ${schema.maxProperties} fields`);
    }
    if (schema.minProperties !== undefined && count < schema.minProperties) {
      fail(`fewer than ${schema.minProperties} fields`);
    }
    this.declare(run, path, value, schema, names);
  }

  private declare(
    run: Run,
    path: string,
    value: Record<string, unknown>,
    schema: Schema,
    names: Set<string>,
  ) {
    const d = run.declared.get(path) ?? {
      value,
      keys: new Set<string>(),
      hasProperties: false,
      open: false,
      schemas: new Set<string>(),
    };
    // A required field is declared too, even where the schema forgot to describe it.
    for (const k of [...Object.keys(schema.properties ?? {}), ...(schema.required ?? [])]) d.keys.add(k);
    if (schema.properties) d.hasProperties = true;
    if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) d.open = true;
    for (const n of names) d.schemas.add(n);
    run.declared.set(path, d);
  }

  private checkCombinations(
    schema: Schema,
    value: unknown,
    path: string,
    run: Run,
    names: Set<string>,
    fail: (m: string) => void,
  ): void {
    for (const sub of schema.allOf ?? []) this.check(sub, value, path, run, names);
    if (schema.anyOf) {
      const tries = schema.anyOf.map((sub: Schema) => this.attempt(sub, value, path, names));
      const passing = tries.filter((r: Run) => r.violations.length === 0);
      if (passing.length === 0) fail(`matches none of anyOf: ${summary(tries)}`);
      for (const r of passing) run.merge(r);
    }
    if (schema.oneOf) {
      const branches: Schema[] = this.discriminated(schema, value) ?? schema.oneOf;
      const tries = branches.map((sub) => this.attempt(sub, value, path, names));
      const passing = tries.filter((r) => r.violations.length === 0);
      if (passing.length !== 1) {
        fail(`matches ${passing.length} of oneOf's ${branches.length} schemas: ${summary(tries)}`);
      } else run.merge(passing[0] as Run);
    }
    if (schema.not !== undefined && this.attempt(schema.not, value, path, names).violations.length === 0) {
      fail("matches a schema it must not match");
    }
  }

  /** OpenAPI's discriminator: the branch is named by a property of the value. */
  private discriminated(schema: Schema, value: unknown): Schema[] | null {
    const d = schema.discriminator;
    if (!d?.mapping || value === null || typeof value !== "object") return null;
    const tag = (value as Record<string, unknown>)[d.propertyName];
    const ref = typeof tag === "string" ? d.mapping[tag] : undefined;
    return ref ? [{ $ref: ref }] : null;
  }

  private attempt(schema: Schema, value: unknown, path: string, names: Set<string>): Run {
    const run = new Run();
    this.check(schema, value, path, run, names);
    return run;
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function matchesType(type: string | string[], value: unknown): boolean {
  return [type].flat().some((t) => {
    switch (t) {
      case "null":
        return value === null;
      case "array":
        return Array.isArray(value);
      case "object":
        return value !== null && typeof value === "object" && !Array.isArray(value);
      case "integer":
        return Number.isInteger(value);
      case "number":
        return typeof value === "number" && Number.isFinite(value);
      default:
        return typeof value === t;
    }
  });
}

/** Formats are checked where the spec's values are checkable; the rest annotate. */
function matchesFormat(format: string, value: string): boolean {
  switch (format) {
    case "email":
      return /^[^\s@]+@[^\s@]+$/.test(value);
    case "url":
    case "uri":
      return URL.canParse(value);
    case "date-time":
      return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(value);
    default:
      return true;
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `${typeof value} ${JSON.stringify(value)?.slice(0, 60)}`;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function summary(tries: Run[]): string {
  return tries
    .map((r, i) => `#${i}: ${r.violations.map((v) => `${v.path} ${v.message}`).join("; ") || "ok"}`)
    .join(" | ");
}
