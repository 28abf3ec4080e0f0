import { describe, expect, it } from "vitest";
import { memorySource, parseFixture, parseSource } from "../../../../tests/helpers/parse-whatsapp.ts";

describe("WhatsApp iOS exports", () => {
  it("should classify system events attributed to the group name or a person, never as messages", async () => {
    const { records, summary } = await parseFixture("ios-en-us.txt");
    expect(summary.variant).toBe("ios");
    expect(summary.chatTitle).toBe("My Group 2023");
    expect(summary.dateOrder).toMatchObject({ order: "mdy", status: "inferred" });
    const systems = records.filter((r) => r.kind === "system").map((r) => [r.line, r.systemType, r.author]);
    expect(systems).toEqual([
      [1, "encryption_notice", "My Group 2023"],
      [2, "group_created", "My Group 2023"],
      [3, "member_added", "My Group 2023"],
      [22, "call", "Nev"],
      [23, "call", "Mallory"],
      [24, "member_left", "My Group 2023"],
      [25, "number_changed", "Mallory"],
    ]);
    // Written by a person without the iOS system mark: stays a message.
    expect(records.find((r) => r.line === 26)).toMatchObject({
      kind: "message",
      text: "I added Nev to the rota",
    });
    expect(summary.participants).toEqual(["~\u00a0Nev", "+1 (777) 777\u20117777", "Mallory", "Nev"]);
  });

  it("should read times with seconds and U+202F before PM", async () => {
    const { records } = await parseFixture("ios-en-us.txt");
    expect(records[0]).toMatchObject({ timestamp: "2020-12-27T18:51:14", hasSeconds: true });
  });

  it("should normalise '~ Name' and phone numbers with U+2011 into author keys", async () => {
    const { records } = await parseFixture("ios-en-us.txt");
    expect(records[3]).toMatchObject({ author: "~\u00a0Nev", authorKey: "nev", text: "That's awesome." });
    expect(records[4]).toMatchObject({ author: "+1 (777) 777\u20117777", authorKey: "+17777777777" });
  });

  it("should read every attachment spelling, with the caption as text", async () => {
    const { records } = await parseFixture("ios-en-us.txt");
    const byLine = (l: number) => records.find((r) => r.line === l);
    expect(byLine(6)).toMatchObject({
      attachments: [{ fileName: "00000012-PHOTO-2020-12-27-18-54-00.jpg" }],
      text: "a caption on its own line",
    });
    expect(byLine(8)?.attachments).toEqual([{ fileName: "00000013-VIDEO-2020-12-27-18-55-00.mp4" }]);
    expect(byLine(9)?.attachments).toEqual([{ fileName: "2015-08-04-PHOTO-00004762.jpg" }]);
    expect(byLine(10)?.attachments).toEqual([{ fileName: "00000014-A PDF.pdf" }]);
    expect(byLine(6)?.raw.startsWith("\u200e[12/27/20")).toBe(true);
  });

  it("should flag deleted, edited, omitted media, polls, locations and view-once", async () => {
    const { records } = await parseFixture("ios-en-us.txt");
    const byLine = (l: number) => records.find((r) => r.line === l);
    expect(byLine(11)).toMatchObject({ deleted: true, author: "Nev", kind: "message" });
    expect(byLine(12)).toMatchObject({ deleted: true, author: "Mallory" });
    expect(byLine(13)).toMatchObject({ edited: true, text: "An edited message" });
    expect(byLine(13)?.raw).toContain("\u200e<This message was edited>");
    expect(byLine(14)).toMatchObject({ mediaOmitted: true, text: "" });
    expect(byLine(15)).toMatchObject({ mediaOmitted: true });
    expect(byLine(16)?.poll).toEqual({
      question: "Where do we meet?",
      options: [
        { text: "Station", votes: 1 },
        { text: "Canteen", votes: 2 },
      ],
    });
    expect(byLine(20)?.location).toBe("https://maps.google.com/?q=51.52,-0.12");
    expect(byLine(21)?.location).toBe("https://foursquare.com/v/4ac518cef964a520e6a520e3");
    expect(byLine(27)).toMatchObject({ viewOnce: true, author: "Nev", text: "" });
  });

  it("should skip BOMs before and inside headers and remove them from text, keeping raw", async () => {
    const { records, summary } = await parseFixture("ios-de.txt");
    expect(records.map((r) => [r.line, r.kind, r.systemType, r.author])).toEqual([
      [1, "system", "encryption_notice", "Gruppe Nord"],
      [2, "system", "member_added", "Gruppe Nord"],
      [3, "message", null, "Anna"],
      [4, "message", null, "Anna"],
      [5, "message", null, "Bernd"],
      [6, "message", null, "Bernd"],
    ]);
    expect(records[0]?.raw.startsWith("\ufeff\ufeff[29.01.18")).toBe(true);
    expect(records[2]?.text).toBe("Link: https://example.org/JuKo007");
    expect(records[2]?.raw).toContain("JuKo00\ufeff7");
    expect(records[3]?.attachments).toEqual([{ fileName: "PTT-20180129-WA0025.opus" }]);
    expect(records[4]?.text).toBe("Mittendrin");
    expect(records[5]?.mediaOmitted).toBe(true);
    expect(summary.chatTitle).toBe("Gruppe Nord");
  });

  it("should read iOS headers without a comma and bare system lines", async () => {
    const { records } = await parseFixture("ios-en-gb-nocomma.txt");
    expect(records.map((r) => [r.timestamp, r.kind, r.systemType, r.author])).toEqual([
      ["2022-12-31T11:40:26", "message", null, "John Doe"],
      ["2022-12-31T19:29:20", "system", "member_left", null],
      ["2022-12-31T19:30:00", "message", null, "Jane"],
    ]);
  });

  it("should accept year-first dates with mixed separators and a day-first line in one file", async () => {
    const { records, summary } = await parseFixture("ios-ymd-mixed.txt");
    expect(records.map((r) => r.timestamp)).toEqual([
      "2020-01-01T12:00:01",
      "2020-04-01T12:00:02",
      "2020-05-01T12:00:03",
      "2020-06-01T12:00:06",
      "2025-07-01T12:00:07",
    ]);
    expect(summary.dateOrder).toMatchObject({ status: "ambiguous", order: "dmy", alternatives: ["mdy"] });
  });

  it("should read zh, dotted month-first and middle-year iOS headers", async () => {
    const zh = await parseFixture("zh-ios.txt");
    expect(zh.records.map((r) => r.timestamp)).toEqual(["2024-10-31T15:50:46", "2024-10-31T15:51:02"]);
    const dotted = await parseFixture("ios-dotted-mdy.txt");
    expect(dotted.summary.dateOrder.order).toBe("mdy");
    expect(dotted.records[0]?.timestamp).toBe("2018-06-13T21:25:15");
    const middle = await parseFixture("middle-year.txt");
    expect(middle.records.map((r) => r.timestamp)).toEqual(["2018-06-13T21:25:15", "2018-06-14T07:00:00"]);
  });

  it("should not treat a one-to-one contact's own words as system events because the notice was attributed to them", async () => {
    const text = [
      "[13/06/2023, 18:08:08] Alice: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
      "[13/06/2023, 18:09:00] Alice: I left",
      "[13/06/2023, 18:10:00] Alice: Bob added Carol",
      "",
    ].join("\n");
    const { records, summary } = await parseSource(memorySource(Buffer.from(text), "_chat.txt"));
    expect(records.map((r) => r.kind)).toEqual(["system", "message", "message"]);
    expect(summary.chatTitle).toBe("Alice");
  });

  it("should read en-GB iOS headers with a comma and dotted Czech iOS headers with '~ '", async () => {
    const gb = await parseFixture("ios-en-gb.txt");
    expect(
      gb.records.map((r) => [r.timestamp, r.attachments.map((a) => a.fileName), r.mediaOmitted]),
    ).toEqual([
      ["2022-12-31T11:40:26", ["00000001-AUDIO-2022-12-31-11-40-26.opus"], false],
      ["2022-12-31T11:41:00", [], true],
      ["2022-12-31T11:42:00", [], true],
    ]);
    const cs = await parseFixture("ios-cs-dotted.txt");
    expect(cs.records.map((r) => [r.timestamp, r.author, r.authorKey])).toEqual([
      ["2023-06-13T18:08:08", "~\u00a0YSL", "ysl"],
      ["2023-06-13T18:09:00", "Petr", "petr"],
    ]);
  });
});
