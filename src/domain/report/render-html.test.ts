import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { escapeHtml, text } from "./escape.ts";
import { HOSTILE, hostileReport } from "./report-fixture.test-helpers.ts";
import { renderHtml } from "./render-html.ts";

const TINY_JPEG = `data:image/jpeg;base64,${Buffer.from("not really a jpeg").toString("base64")}`;
const html = renderHtml(hostileReport(), new Map([["IMG-1.jpg", TINY_JPEG]]));

describe("renderHtml", () => {
  it("should escape markup from the export so that no script from it can run", () => {
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).not.toContain(HOSTILE.script);
    expect(html).toContain(escapeHtml(HOSTILE.script));
  });

  it("should not let a message or a name add attributes to a tag", () => {
    expect(html).not.toMatch(/<[^>]*\sonerror\s*=/i);
    expect(html).not.toContain(HOSTILE.name);
  });

  it("should never turn a javascript: URL into a link", () => {
    expect(html).not.toMatch(/href\s*=\s*["']?\s*javascript:/i);
    for (const m of html.matchAll(/href="([^"]*)"/g)) {
      expect(m[1]).toMatch(/^#[\w-]+$/);
    }
  });

  it("should show direction overrides instead of applying them", () => {
    expect(html).not.toContain("\u202E");
    expect(html).toContain("⟦U+202E⟧");
    expect(text("a\u202Eb")).toBe("<bdi>a⟦U+202E⟧b</bdi>");
  });

  it("should carry a Content-Security-Policy that allows only its own inline style and script", () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? "";
    expect(csp).toContain("default-src &#39;none&#39;");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    const h = (s: string) => createHash("sha256").update(s).digest("base64");
    expect(csp).toContain(`style-src &#39;sha256-${h(style)}&#39;`);
    expect(csp).toContain(`script-src &#39;sha256-${h(script)}&#39;`);
    expect(html).not.toMatch(/\sstyle="/);
  });

  it("should blur pictures and drop thumbnails that are not our own data URIs", () => {
    expect(html).toContain(`class="thumb"`);
    expect(html).toContain(TINY_JPEG);
    const bad = renderHtml(
      hostileReport(),
      new Map([["IMG-1.jpg", `data:text/html,<script>alert(1)</script>`]]),
    );
    expect(bad).not.toContain("data:text/html");
  });

  it("should state evidence as relevant to standards, never as seen or as a finding", () => {
    expect(html).toContain("evidence relevant to");
    // The only mentions allowed are the disclaimers saying an export cannot show it.
    const claims = html.replace(/[^.>]*read or saw[^.<]*/g, "");
    expect(claims).not.toMatch(/\b(saw|seen by|has read|breached)\b/i);
  });
});
