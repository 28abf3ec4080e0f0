import { describe, expect, it } from "vitest";
import { personKey } from "./person-key.ts";

describe("personKey", () => {
  it("should fold case and spaces the way the chat parser's author key does", () => {
    expect(personKey("  PC  Alan\tSMITH ")).toBe("pc alan smith");
    expect(personKey("~\u00a0Dave Jones")).toBe("dave jones");
    expect(personKey("\u202aJosé O'Neil\u202c")).toBe("josé o'neil");
  });
  it("should reduce phone numbers to digits, keeping a leading plus", () => {
    expect(personKey("+44 7700 900123")).toBe("+447700900123");
    expect(personKey("(020) 7946-0018")).toBe("02079460018");
    expect(personKey("1234")).toBe("1234");
  });
});
