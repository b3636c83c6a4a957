import { describe, expect, test } from "bun:test";
import {
  type Engine,
  parseTemplate,
  renderTemplate,
  TemplateError,
  variablesOf,
} from "../../src/templates/render.ts";

/** The four engines over string variables: substitution, escaping, conditions, and refusals. */

const vars = { name: "Ann <b>&", company: "Acme", empty: "" };
const render = (source: string, engine: Engine, strict = true) =>
  renderTemplate(source, engine, vars, strict);

describe("mustache", () => {
  test("escapes {{x}}, not {{{x}}} or {{& x}}; sections and inverted sections test whether a value is set", () => {
    expect(render("Hi {{name}} / {{{name}}} / {{& name}}", "mustache")).toBe(
      "Hi Ann &lt;b&gt;&amp; / Ann <b>& / Ann <b>&",
    );
    expect(
      render(
        "{{#company}}at {{company}}{{/company}}{{^empty}}, no empty{{/empty}}{{#empty}}X{{/empty}}",
        "mustache",
      ),
    ).toBe("at Acme, no empty");
    expect(render("a{{! a comment }}b", "mustache")).toBe("ab");
  });

  test("rendered as text (a subject), nothing is escaped", () => {
    expect(renderTemplate("Re: {{name}}", "mustache", vars, true, false)).toBe("Re: Ann <b>&");
  });
});

describe("handlebars", () => {
  test("#if/else, #unless, comments with braces inside", () => {
    expect(
      render("{{#if company}}yes{{else}}no{{/if}} {{#if empty}}yes{{else}}no{{/if}}", "handlebars"),
    ).toBe("yes no");
    expect(render("{{#unless empty}}U{{/unless}}{{!-- }} --}}", "handlebars")).toBe("U");
  });
});

describe("nunjucks and twig", () => {
  test("{{ x }} escaped, | safe and | raw not, {% if [not] %}…{% else %}…{% endif %}, {# #}", () => {
    for (const engine of ["nunjucks", "twig"] as const) {
      expect(render("{{ name }}|{{ name | safe }}|{{name|raw}}", engine)).toBe(
        "Ann &lt;b&gt;&amp;|Ann <b>&|Ann <b>&",
      );
      expect(
        render("{% if not empty %}N{% else %}E{% endif %}{# c #}{% if company %}!{% endif %}", engine),
      ).toBe("N!");
    }
  });
});

describe("strictness and refusals", () => {
  test("strict: a missing variable is an error naming it; not strict: empty", () => {
    expect(() => render("{{ who }} {{name}}", "mustache")).toThrow("variables missing: who");
    expect(render("[{{who}}]", "mustache", false)).toBe("[]");
    expect([...variablesOf(parseTemplate("{{#a}}{{b}}{{/a}}", "mustache"))]).toEqual(["a", "b"]);
  });

  test("what this server cannot render is refused, not rendered wrong", () => {
    const refused: [string, Engine, string][] = [
      ["{{> header}}", "mustache", "partials"],
      ["{{#each items}}{{this}}{{/each}}", "handlebars", "block helper each"],
      ["{{lookup a b}}", "handlebars", "only variable names"],
      ["{% for x in xs %}{% endfor %}", "nunjucks", "only if, else and endif"],
      ["{{ name | upper }}", "twig", "filter upper"],
      ["{{#a}}never closed", "mustache", "never closed"],
      ["{{/a}}", "mustache", "without its opening tag"],
      ["{% else %}", "twig", "else outside"],
    ];
    for (const [source, engine, message] of refused) {
      expect(() => parseTemplate(source, engine)).toThrow(TemplateError);
      expect(() => parseTemplate(source, engine)).toThrow(message);
    }
  });
});
