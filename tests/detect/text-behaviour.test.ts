/**
 * Behaviour of the shipped text models on the hard cases of docs/DETECTION.md, a handful of examples
 * each, judged against the model's own shipped thresholds. Known failures of a bag-of-n-grams model
 * are kept as `it.fails`: they document the weakness and start passing (failing the suite) if a
 * better model fixes them, so they are then promoted to ordinary tests.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClassifyResult, TextCategory } from "../../src/contract/detection.ts";
import { createTextClassifier, type TextClassifier } from "../../src/services/classify-texts.ts";

let clf: TextClassifier;
beforeAll(async () => {
  clf = await createTextClassifier({ threads: 0 });
});
afterAll(async () => {
  await clf.close();
});

async function one(text: string, replyTo?: string): Promise<ClassifyResult> {
  const [r] = await clf.classify([{ id: 1, text, ...(replyTo === undefined ? {} : { replyTo }) }]);
  if (!r || !("scores" in r)) throw new Error(`not classified: ${JSON.stringify(r)}`);
  return r;
}

function stanceOf(r: ClassifyResult): string {
  const s = r.stance;
  if (!s) return "none";
  return (["challenge", "endorse", "neutral"] as const).reduce(
    (b, c) => (s[c] > s[b] ? c : b),
    "neutral" as const,
  );
}

describe("clear misconduct is flagged, with reasons naming the words", () => {
  it.each<[string, TextCategory, string]>([
    ["she's a right slag that one", "misogyny", "slag"],
    ["all pakis should be sent back", "racism", "pakis"],
    ["he's a massive faggot", "homophobia", "faggot"],
    ["I'm going to stab you in the car park", "threat", "stab"],
    ["send nudes babe, show us your tits", "sexual", "tits"],
  ])("%s → %s", async (text, category, word) => {
    const r = await one(text);
    expect(r.flagged).toContain(category);
    const evidence = r.reasons.filter((x) => x.category === category).map((x) => x.evidence);
    expect(evidence.some((e) => e.includes(word))).toBe(true);
  });
});

describe("obfuscation does not hide a word", () => {
  it.each([
    ["she's a right slag that one", "she's a right s l a g that one"],
    ["she's a right slag that one", "she's a right sl@g that one"],
    ["she's a right slag that one", "she's a right ѕlаg that one"],
    ["he's a massive faggot", "he's a massive f*ggot"],
    ["he's a massive faggot", "he's a massive ｆａｇｇｏｔ"],
  ])("%s ≈ %s", async (plain, hidden) => {
    const a = await one(plain);
    const b = await one(hidden);
    expect(b.scores).toEqual(a.scores);
  });
});

describe("ordinary team chat is not flagged", () => {
  it.each([
    "morning all, briefing moved to 10 in the parade room",
    "who's got the keys for the focus? not in the key safe",
    "my husband and I are at the christening on sunday so can't do the overtime",
    // Flagged `racism` by session 4's full-batch retrain (not shipped): "muslim", "mosque".
    "the muslim community liaison meeting is at 2 at the mosque",
  ])("%s", async (text) => {
    expect((await one(text)).flagged).toEqual([]);
  });

  // Short everyday messages (none of them a training line, though many training lines contain one):
  // session 4's model flagged 6 of them ("hi" homophobia, "bless" derogatory 0.74, "ring me" threat,
  // "night" sexual, ...), when its short training messages were mostly slurs.
  it("short everyday messages are not flagged", async () => {
    const texts = [
      ...["hi", "hello", "hey", "hiya", "morning", "morning all", "night", "thanks mate", "lol", "haha"],
      ...["ok", "okay", "yes", "no", "yep", "nope", "sound", "nice one", "5 mins", "running late"],
      ...["who's in?", "kettle on", "brew?", "sorry", "received", "copy", "roger", "will do", "np"],
      ...["good shout", "bless", "legend", "see you there", "call me", "ring me"],
    ];
    const results = await clf.classify(texts.map((text, id) => ({ id, text })));
    const flagged = results.flatMap((r, i) =>
      "flagged" in r && r.flagged.length > 0 ? [`${texts[i]}: ${r.flagged.join(",")}`] : [],
    );
    expect(flagged).toEqual([]);
  });

  it("scores are calibrated probabilities in [0, 1]", async () => {
    const r = await one("cheers for covering my lates");
    for (const v of Object.values(r.scores)) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });
});

describe("hard cases", () => {
  // This model has passed and failed this from one retrain to the next (session 3: `sexual` 0.388
  // against 0.38, failing; session 4: 0.28 against 0.34, passing; session 5: 0.45 against 0.31 after
  // the short everyday messages were added, 0.197 against 0.30 once 28 neutral lines about women
  // colleagues followed them): the margin moves with every retrain and the weakness is general
  // (models/text-messages.md, failure modes).
  it("neutral identity: a sentence about a woman colleague is not flagged", async () => {
    expect((await one("she's the new DC on the burglary team, made a great start")).flagged).toEqual([]);
  });

  it("profanity that is not abuse: praise with swearing is not derogatory", async () => {
    expect((await one("fucking brilliant job today lads, proper result")).flagged).not.toContain(
      "derogatory",
    );
  });

  // Known failure: the quoted slur carries the score; n-grams do not see who is being addressed.
  it.fails("counter-speech quoting the abuse is not flagged", async () => {
    expect((await one("you can't call her a slag, that's not on")).flagged).toEqual([]);
  });

  // Known failure: negation does not flip the n-grams that follow it.
  it.fails("negation: denying a sexist claim is not flagged as misogyny", async () => {
    expect((await one("I would never say women are inferior, that's nonsense")).flagged).not.toContain(
      "misogyny",
    );
  });

  // Known failure: the public data routes posts naming a group to racism or homophobia, so the group
  // words carry those weights. Session 5's model flags 4 of these 20 (gay, trans, Chinese, asylum
  // seekers); 41 neutral training lines of the same kind did not help (5 of 20), see
  // models/text-messages.md.
  it.fails("neutral mentions of identity groups are not flagged", async () => {
    const texts = [
      "can someone cover for Imran, he's at Friday prayers till 2",
      "the mosque on Bright Street wants a PCSO at the open evening",
      "Aisha from HR is sorting the Ramadan shift swaps",
      "the gay police association are recruiting for the pride float",
      "Chris and his husband have just adopted, send them a card",
      "the LGBT liaison officer is in on Wednesdays",
      "the trans support network has moved its meeting to room 4",
      "Rabbi Cohen called about extra patrols near the synagogue",
      "the Jewish community centre has CCTV we can have",
      "the victim is a Black woman in her forties, IC3, no injuries",
      "the Nigerian church on the estate is hosting the PACT meeting",
      "the Roma family in flat 6 need a translator for the statement",
      "Polish shop on the high street had its window put in again",
      "the Chinese takeaway owner gave a great statement",
      "the Hindu temple is doing free food for the flood volunteers",
      "the Sikh gurdwara has offered its car park for the event",
      "Gareth's partner is a bloke called Simon, they're coming to the Christmas do",
      "the new DC is a lesbian and lives with her wife in Leeds",
      "the asylum seekers at the hotel reported the threats",
      "the Irish traveller site manager wants a meeting about the fly tipping",
    ];
    const results = await clf.classify(texts.map((text, id) => ({ id, text })));
    expect(results.filter((r) => "flagged" in r && r.flagged.length > 0)).toEqual([]);
  });
});

describe("reply stance", () => {
  it.each([
    ["😂😂", "she's a right slag that one", "endorse"],
    ["haha get in", "send us a pic of her in that uniform", "endorse"],
    ["+1", "all pakis should be sent back", "endorse"],
    ["that's not on mate, delete it", "she's a right slag that one", "challenge"],
    ["you can't say that about her, I'm reporting it", "she's a right slag that one", "challenge"],
    ["I'm on earlies tomorrow if anyone needs a lift", "who's on earlies tomorrow?", "neutral"],
  ])("%s (to %s) → %s", async (reply, parent, stance) => {
    expect(stanceOf(await one(reply, parent))).toBe(stance);
  });

  it("gives stance only for replies", async () => {
    expect((await one("morning all")).stance).toBeUndefined();
  });
});
