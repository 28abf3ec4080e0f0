import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { hostileReport } from "../../domain/report/report-fixture.test-helpers.ts";
import { renderPdf } from "./render-pdf.ts";

describe("renderPdf", () => {
  it("should produce a PDF with the blurred thumbnail embedded", async () => {
    const thumb = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#c00" } })
      .jpeg()
      .toBuffer();
    const warnings: string[] = [];
    const pdf = await renderPdf(hostileReport(), new Map([["IMG-1.jpg", thumb]]), {
      warn: (m) => warnings.push(m),
    });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.toString("latin1")).toContain("/Subtype /Image");
    expect(pdf.toString("latin1")).toMatch(/%%EOF\s*$/);
  });

  it("should fall back to Helvetica with a warning when DejaVu is missing", async () => {
    const warnings: string[] = [];
    const pdf = await renderPdf(hostileReport(), new Map(), {
      fontDir: "/nonexistent",
      warn: (m) => warnings.push(m),
    });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(warnings.join("")).toContain("Helvetica");
    expect(pdf.toString("latin1")).toContain("/BaseFont /Helvetica");
  });
});
