import { describe, expect, it } from "vitest";
import { authorKeyOf, cleanAuthor } from "./author.ts";
import { titleFromFileName } from "./chat-title.ts";
import { isValidDate } from "./date-order.ts";
import { HeaderMatch, SEP_BRACKET, SEP_DASH, SEP_SPACE, tokeniseHeader } from "./header.ts";
import { attachmentName, isMediaOmitted, stripEditedMarker } from "./markers.ts";
import { classifySystemText } from "./system-events.ts";
import { LineSplitter } from "./line-splitter.ts";

function tok(line: string): HeaderMatch | null {
  const b = Buffer.from(line);
  const m = new HeaderMatch();
  return tokeniseHeader(b, 0, b.length, m) ? m : null;
}

describe("tokeniseHeader", () => {
  it("should read Android and iOS shapes with their REST offset", () => {
    const a = tok("06/03/2017, 00:45 - Sample User: hi");
    expect(a).toMatchObject({
      f1: 6,
      f2: 3,
      f3: 2017,
      hour: 0,
      minute: 45,
      sep: SEP_DASH,
      bracket: false,
      restStart: 20,
    });
    const i = tok("\u200e[1/29/18, 12:24:03\u202fPM] Mallory: Hey");
    expect(i).toMatchObject({
      f1: 1,
      f2: 29,
      f3: 18,
      hour: 12,
      second: 3,
      hasSeconds: true,
      sep: SEP_BRACKET,
      meridiem: 2,
    });
    expect(tok("13. 6. 2018. 21:25:15 a: m")).toMatchObject({ f1: 13, f2: 6, f3: 2018, sep: SEP_SPACE });
  });

  it("should not take an author that starts with 'a' or 'Am' for a meridiem", () => {
    expect(tok("13.06.18 21.25.15 a: m")).toMatchObject({ meridiem: 0 });
    expect(tok("13/06/2018 21:25 Amy: hi")).toMatchObject({ meridiem: 0, sep: SEP_SPACE });
  });

  it("should reject lines that only look like headers", () => {
    for (const line of [
      "hello",
      "2020 was a year",
      "12/12 at 10:00",
      "20 09 17, 10:00 - a: b",
      "06/03/2017, 25:00 - a: b",
      "1/2/3/4, 10:00 - x",
    ]) {
      expect(tok(line)).toBeNull();
    }
  });
});

describe("isValidDate", () => {
  it("should never roll impossible dates over", () => {
    expect(isValidDate(2016, 2, 29)).toBe(true);
    expect(isValidDate(2017, 2, 29)).toBe(false);
    expect(isValidDate(2016, 29, 4)).toBe(false);
    expect(isValidDate(2000, 2, 29)).toBe(true);
    expect(isValidDate(1900, 2, 29)).toBe(false);
    expect(isValidDate(2021, 4, 31)).toBe(false);
  });
});

describe("authors and titles", () => {
  it("should normalise author keys", () => {
    expect(authorKeyOf("\u202a+55 11 91234-5678\u202c")).toBe("+5511912345678");
    expect(authorKeyOf("~\u00a0Nev")).toBe("nev");
    expect(authorKeyOf("Jose\u0301 GARCÍA")).toBe("josé garcía");
    expect(cleanAuthor("\u200eMallory\u200f")).toBe("Mallory");
  });

  it("should take the chat title from localised file names", () => {
    expect(titleFromFileName("WhatsApp Chat with Late Shift.txt")).toBe("Late Shift");
    expect(titleFromFileName("WhatsApp Chat - Response Team.zip")).toBe("Response Team");
    expect(titleFromFileName("WhatsApp_Chat_mit_Gruppe_Nord.txt")).toBe("Gruppe Nord");
    expect(titleFromFileName("Chat de WhatsApp con Ana.txt")).toBe("Ana");
    expect(titleFromFileName("Discussion WhatsApp avec Équipe.txt")).toBe("Équipe");
    expect(titleFromFileName("_chat.txt")).toBeNull();
  });
});

describe("markers", () => {
  it("should find attachments, omitted media and edited markers", () => {
    expect(attachmentName("IMG-1.jpg (file attached)")).toBe("IMG-1.jpg");
    expect(attachmentName("<Anhang: PTT-1.opus>")).toBe("PTT-1.opus");
    expect(attachmentName("see (this)")).toBeNull();
    expect(isMediaOmitted("<Media omitted>")).toBe(true);
    expect(isMediaOmitted("<Без медиафайлов>")).toBe(true);
    expect(isMediaOmitted("I omitted")).toBe(false);
    expect(stripEditedMarker("line one\nline two <This message was edited>")).toBe("line one\nline two");
    expect(stripEditedMarker("plain")).toBeNull();
  });

  it("should keep weak patterns for bare or trusted lines only", () => {
    expect(classifySystemText("Alice added Bob", true, false)).toBeNull();
    expect(classifySystemText("Alice added Bob", true, true)).toBe("member_added");
    expect(
      classifySystemText("Messages and calls are end-to-end encrypted. Tap to learn more.", true, false),
    ).toBe("encryption_notice");
  });
});

describe("LineSplitter", () => {
  it("should give exact offsets for lines across chunk boundaries", () => {
    const text = "ab\r\ncdé\n\nlast";
    const bytes = Buffer.from(text);
    const got: [string, number, number][] = [];
    const s = new LineSplitter((buf, st, en, off, no) => got.push([buf.toString("utf8", st, en), off, no]));
    for (let i = 0; i < bytes.length; i += 3) s.push(bytes.subarray(i, i + 3));
    s.end();
    expect(got).toEqual([
      ["ab\r", 0, 1],
      ["cdé", 4, 2],
      ["", 9, 3],
      ["last", 10, 4],
    ]);
  });
});
