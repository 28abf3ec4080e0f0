import { describe, expect, it } from "vitest";
import { fixtureBytes, parseFixture } from "../../../../tests/helpers/parse-whatsapp.ts";

describe("WhatsApp Android exports", () => {
  it("should parse an en-GB group export with system events, markers and multi-line bodies", async () => {
    const { records, summary } = await parseFixture("android-en-gb.txt");
    expect(summary.variant).toBe("android");
    expect(summary.chatTitle).toBe("Late Shift");
    expect(summary.dateOrder).toMatchObject({ order: "dmy", status: "inferred", alternatives: [] });
    expect(summary.dateOrder.evidence).toContain("a first field of 13 on line 4");
    expect(summary.recordCount).toBe(19);
    expect(summary.messageCount).toBe(14);
    expect(summary.systemCount).toBe(5);
    expect(summary.participants).toEqual(["Sample User", "Mallory", "Carol", "+44 7700 900123"]);
    expect(summary.outOfOrderCount).toBe(1);
    expect(summary.issues).toEqual([
      {
        line: 21,
        reason: "header-like line with an impossible date (read dmy); kept as a continuation line",
      },
    ]);
    expect(summary.firstTimestamp).toBe("2017-03-06T00:45:00");
    expect(summary.lastTimestamp).toBe("2017-03-13T09:15:00");

    const [
      e2e,
      created,
      added,
      first,
      multi,
      del,
      youDel,
      omitted,
      att,
      viewOnce,
      loc,
      live,
      late,
      edited,
      impossible,
      phone,
      left,
      sec,
      colon,
    ] = records;
    expect(e2e).toMatchObject({
      kind: "system",
      systemType: "encryption_notice",
      author: null,
      authorKey: null,
      line: 1,
      byteOffset: 0,
    });
    expect(created).toMatchObject({
      kind: "system",
      systemType: "group_created",
      author: null,
      text: 'You created group "Late Shift"',
    });
    expect(added).toMatchObject({ kind: "system", systemType: "member_added", author: null });
    expect(first).toMatchObject({
      index: 3,
      line: 4,
      kind: "message",
      timestamp: "2017-03-13T09:01:00",
      hasSeconds: false,
      author: "Sample User",
      authorKey: "sample user",
      text: "This is a test message",
      raw: "13/03/2017, 09:01 - Sample User: This is a test message",
    });
    // A blank line and a continuation line that starts with an ISO date both stay in the body.
    expect(multi).toMatchObject({
      line: 5,
      author: "Mallory",
      text: "first line\n\nthird line after a blank one\n2016-04-29 10:30:00",
      edited: true,
      raw: "13/03/2017, 09:02 - Mallory: first line\n\nthird line after a blank one\n2016-04-29 10:30:00 <This message was edited>",
    });
    expect(del).toMatchObject({ deleted: true, text: "", kind: "message", author: "Mallory" });
    expect(youDel).toMatchObject({ deleted: true, author: "Sample User" });
    expect(omitted).toMatchObject({ mediaOmitted: true, text: "" });
    expect(att).toMatchObject({
      attachments: [{ fileName: "IMG-20170313-WA0003.jpg" }],
      text: "look at this\nand this",
      line: 12,
    });
    expect(viewOnce).toMatchObject({ author: "Carol", viewOnce: true, text: "", kind: "message" });
    expect(loc).toMatchObject({ location: "https://maps.google.com/?q=51.5,-0.12" });
    expect(live).toMatchObject({ location: "live location shared" });
    expect(late).toMatchObject({ timestamp: "2017-03-13T09:05:00", outOfOrder: true, index: 12 });
    expect(edited).toMatchObject({
      text: "a message",
      edited: true,
      raw: "13/03/2017, 09:10 - Mallory: a message <This message was edited>",
    });
    expect(impossible).toMatchObject({
      text: "see below\n31/02/2017, 09:11 - Mallory: impossible date: a continuation line",
    });
    expect(phone).toMatchObject({ author: "+44 7700 900123", authorKey: "+447700900123" });
    expect(left).toMatchObject({
      kind: "system",
      systemType: "member_left",
      text: "Mallory left",
      author: null,
    });
    expect(sec).toMatchObject({ kind: "system", systemType: "security_code_changed" });
    // Trailing blank lines at end of file are not part of the last message.
    expect(colon).toMatchObject({
      author: "Carol",
      text: "Lorem ipsum : dolor: sit amet.",
      raw: "13/03/2017, 09:15 - Carol: Lorem ipsum : dolor: sit amet.",
    });
  });

  it("should give byte offsets and lengths that slice the original bytes exactly", async () => {
    for (const name of [
      "android-en-gb.txt",
      "ios-en-us.txt",
      "ios-de.txt",
      "crlf.txt",
      "no-final-newline.txt",
    ]) {
      const bytes = fixtureBytes(name);
      for (const chunk of [1, 7, 64, 1 << 20]) {
        const { records } = await parseFixture(name, undefined, chunk);
        for (const r of records) {
          expect(bytes.subarray(r.byteOffset, r.byteOffset + r.byteLength).toString("utf8")).toBe(r.raw);
        }
      }
    }
  });

  it("should read 12-hour clocks with U+202F and redundant meridiems (en-US)", async () => {
    const { records, summary } = await parseFixture("android-en-us-ampm.txt");
    expect(summary.dateOrder).toMatchObject({ order: "mdy", status: "inferred" });
    expect(records.map((r) => r.timestamp)).toEqual([
      "2023-01-04T19:02:00",
      "2023-01-04T19:03:00",
      "2023-01-04T23:59:00",
      "2023-01-05T00:00:00",
      "2023-01-05T12:30:00",
      "2023-01-29T23:59:00",
      "2023-01-30T00:04:00",
      "2023-01-30T08:15:00",
    ]);
  });

  it("should read en-IN am/pm and a.m./p.m. with 2- and 4-digit years", async () => {
    const { records } = await parseFixture("android-en-in.txt");
    expect(records.map((r) => [r.timestamp, r.text, r.edited, r.outOfOrder])).toEqual([
      ["2026-01-23T11:53:00", "good morning", false, false],
      ["2026-01-23T13:05:00", "sample message", true, false],
      ["2023-06-03T06:12:00", "dotted meridiem", false, true],
      ["2023-06-03T18:13:00", "dotted pm", false, false],
    ]);
  });

  it("should recognise German system texts and markers", async () => {
    const { records, summary } = await parseFixture("android-de.txt");
    expect(records.map((r) => [r.kind, r.systemType, r.author])).toEqual([
      ["system", "encryption_notice", null],
      ["system", "member_added", null],
      ["message", null, "Anna"],
      ["message", null, "Anna"],
      ["message", null, "Bernd"],
      ["message", null, "Bernd"],
      ["message", null, "Bernd"],
      ["system", "member_left", null],
      ["system", "security_code_changed", null],
      ["message", null, "Anna"],
    ]);
    expect(records[3]?.attachments).toEqual([{ fileName: "4f2680f1db95a8454775cc2eefc95bfc.jpg" }]);
    expect(records[4]?.mediaOmitted).toBe(true);
    expect(records[5]?.deleted).toBe(true);
    expect(records[6]).toMatchObject({ edited: true, text: "Tippfehler korrigiert" });
    expect(records[9]).toMatchObject({ deleted: true, timestamp: "2021-08-03T12:30:00" });
    expect(summary.participants).toEqual(["Anna", "Bernd"]);
  });

  it("should read French ' à ' headers and the French end-to-end notice", async () => {
    const { records } = await parseFixture("android-fr.txt");
    expect(records.map((r) => [r.timestamp, r.kind, r.systemType])).toEqual([
      ["2019-09-26T22:39:00", "system", "encryption_notice"],
      ["2019-09-26T22:40:00", "message", null],
      ["2019-09-27T08:01:00", "message", null],
    ]);
    expect(records[2]?.mediaOmitted).toBe(true);
  });

  it("should read Spanish p. m. with U+00A0 and a. m. with a space, hour 0 kept", async () => {
    const { records } = await parseFixture("android-es.txt");
    expect(records.map((r) => r.timestamp)).toEqual([
      "2017-06-20T20:28:00",
      "2017-06-21T11:23:00",
      "2017-06-21T00:05:00",
      "2017-06-21T00:08:00",
      "2017-06-21T21:00:00",
    ]);
    expect(records[4]?.mediaOmitted).toBe(true);
  });

  it("should parse a Spanish poll in a month-first file", async () => {
    const { records, summary } = await parseFixture("android-es-mdy.txt");
    expect(summary.dateOrder.order).toBe("mdy");
    expect(records[1]?.poll).toEqual({
      question: "¿Dónde comemos?",
      options: [
        { text: "Aquí", votes: 2 },
        { text: "Allí", votes: 0 },
      ],
    });
  });

  it("should read pt-BR headers without a comma and phone numbers wrapped in LRE/PDF", async () => {
    const { records } = await parseFixture("android-pt-br.txt");
    expect(records[1]).toMatchObject({
      author: "+55 11 91234-5678",
      authorKey: "+5511912345678",
      text: "quem é?",
    });
    expect(records[1]?.raw).toContain("\u202a+55 11 91234-5678\u202c");
    expect(records[2]?.mediaOmitted).toBe(true);
  });

  it("should read Russian, Finnish, Czech, Indonesian and Chinese headers", async () => {
    const ru = await parseFixture("android-ru.txt");
    expect(ru.records.map((r) => [r.timestamp, r.deleted, r.mediaOmitted])).toEqual([
      ["2020-03-13T12:21:00", false, false],
      ["2020-03-13T12:22:00", true, false],
      ["2020-03-14T09:00:00", false, true],
    ]);
    const fi = await parseFixture("fi.txt");
    expect(fi.records.map((r) => [r.timestamp, r.hasSeconds, r.author])).toEqual([
      ["2018-06-13T21:25:15", true, "Matti"],
      ["2018-06-13T21:26:00", true, "Liisa"],
    ]);
    const cs = await parseFixture("cs.txt");
    expect(cs.records.map((r) => [r.timestamp, r.author, r.text])).toEqual([
      ["2018-06-13T21:25:15", "Jana", "ahoj"],
      ["2018-06-13T21:26:15", "Petr", "čau"],
    ]);
    const id = await parseFixture("id.txt");
    expect(id.records.map((r) => r.timestamp)).toEqual(["2025-08-30T18:00:00", "2025-08-30T18:05:00"]);
    const zh = await parseFixture("zh-android.txt");
    expect(zh.summary.dateOrder).toMatchObject({ order: "ymd", status: "single" });
    expect(zh.records.map((r) => [r.timestamp, r.author])).toEqual([
      ["2024-10-31T15:50:00", "小明"],
      ["2024-10-31T15:51:00", "小红"],
    ]);
  });

  it("should handle CRLF: CRs kept in raw between lines, never in text", async () => {
    const { records } = await parseFixture("crlf.txt");
    expect(records[0]).toMatchObject({
      text: "first\nsecond line",
      raw: "06/03/2017, 00:45 - Alice: first\r\nsecond line",
    });
    expect(records[2]).toMatchObject({ text: "last", raw: "13/03/2017, 00:47 - Bob: last" });
  });

  it("should not append anything to the last message when the final newline is missing", async () => {
    const { records } = await parseFixture("no-final-newline.txt");
    const last = records[1];
    expect(last).toMatchObject({
      text: "no newline at the end",
      raw: "13/03/2017, 00:46 - Bob: no newline at the end",
    });
    expect((last?.byteOffset ?? 0) + (last?.byteLength ?? 0)).toBe(
      fixtureBytes("no-final-newline.txt").length,
    );
  });

  it("should read WhatsApp-Viewer and colon-separated variants", async () => {
    const colon = await parseFixture("viewer-colon.txt");
    expect(colon.records.map((r) => [r.timestamp, r.author, r.text])).toEqual([
      ["2017-07-12T22:35:22", "Johannes Gruber", "colon after the time"],
      ["2017-07-13T08:00:00", "Johannes Gruber", "second"],
    ]);
    const semi = await parseFixture("viewer-semicolon.txt");
    expect(semi.records[0]).toMatchObject({
      timestamp: "2017-07-12T22:35:22",
      author: "Johannes Gruber",
      text: "WhatsApp-Viewer output",
    });
    const dotted = await parseFixture("dotted-time-colon.txt");
    expect(dotted.records.map((r) => [r.timestamp, r.author, r.text])).toEqual([
      ["2018-06-13T21:25:15", "a", "m"],
      ["2018-06-14T07:00:00", "b", "n"],
    ]);
    const comma = await parseFixture("comma-date.txt");
    expect(comma.records.map((r) => r.timestamp)).toEqual(["2017-12-07T10:00:00", "2017-12-25T10:01:00"]);
  });

  it("should read German and Portuguese word meridiems", async () => {
    const de = await parseFixture("de-12h-words.txt");
    expect(de.records.map((r) => r.timestamp)).toEqual([
      "2018-01-29T09:05:00",
      "2018-01-29T15:10:00",
      "2018-01-29T23:30:00",
      "2018-01-30T02:15:00",
      "2018-01-30T12:05:00",
      "2018-01-30T20:00:00",
    ]);
    const pt = await parseFixture("pt-12h-words.txt");
    expect(pt.records.map((r) => r.timestamp)).toEqual([
      "2020-11-25T09:15:00",
      "2020-11-25T15:40:00",
      "2020-11-25T22:05:00",
    ]);
  });
});
