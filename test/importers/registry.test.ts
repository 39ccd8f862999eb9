import { describe, expect, it } from "vitest";
import { IMPORTERS } from "../../shared/importers/registry";
import { SOURCE_FORMATS } from "../../shared/transcript";

describe("the importer registry", () => {
  it("reads every source format, each with exactly one importer", () => {
    const formats = IMPORTERS.map((i) => i.format);
    expect([...formats].sort()).toEqual([...SOURCE_FORMATS].sort());
    expect(new Set(formats).size).toBe(formats.length);
  });

  it("tests Call Analytics before Contact Lens, and Contact Lens before Connect chat", () => {
    const at = (format: string) => IMPORTERS.findIndex((i) => i.format === format);
    expect(at("transcribe-call-analytics")).toBeLessThan(at("contact-lens"));
    expect(at("contact-lens")).toBeLessThan(at("connect-chat"));
  });
});
