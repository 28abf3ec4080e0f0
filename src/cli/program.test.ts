import { describe, expect, it } from "vitest";
import {
  COMMANDS,
  createProgram,
  registerAllCommands,
  registerCommandStandIns,
  registerCommandsFor,
  selectedCommand,
} from "./program.ts";

describe("the CLI's lazily loaded commands", () => {
  it("the stand-ins give exactly the top-level help of the real commands", async () => {
    const real = createProgram();
    await registerAllCommands(real);
    const standIns = createProgram();
    registerCommandStandIns(standIns);
    expect(standIns.helpInformation()).toBe(real.helpInformation());
    expect(standIns.commands.map((c) => c.name())).toEqual(real.commands.map((c) => c.name()));
  });

  it("a stand-in never runs as the command: it fails loudly", async () => {
    const p = createProgram();
    registerCommandStandIns(p);
    await expect(p.parseAsync(["node", "upstander", "parse"])).rejects.toThrow(/was not loaded/);
  });

  it("each entry loads the command it names", async () => {
    for (const c of COMMANDS) {
      const p = createProgram();
      (await c.load())(p);
      expect(p.commands.map((x) => x.name())).toEqual([c.name]);
    }
  });

  it("selects the command named first or after help, and nothing for options or unknown words", () => {
    expect(selectedCommand(["classify", "--threads", "0"])?.name).toBe("classify");
    expect(selectedCommand(["help", "ledger"])?.name).toBe("ledger");
    expect(selectedCommand(["--help", "classify"])).toBeUndefined();
    expect(selectedCommand(["help"])).toBeUndefined();
    expect(selectedCommand(["frobnicate"])).toBeUndefined();
    expect(selectedCommand([])).toBeUndefined();
    expect(selectedCommand(["--", "classify"])?.name).toBe("classify");
  });

  it("registers only the selected command, with its real options", async () => {
    const p = createProgram();
    await registerCommandsFor(p, ["classify", "--quiet"]);
    expect(p.commands.map((c) => c.name())).toEqual(["classify"]);
    expect(p.commands[0]?.options.map((o) => o.long)).toEqual(["--threads", "--models", "--quiet"]);
  });
});
