import { describe, expect, test } from "bun:test";
import { Checkpointer } from "../../src/store/checkpointer.ts";

describe("Checkpointer", () => {
  test("a thread that cannot open the database reports it, and close still returns", async () => {
    let failure: Error | null = null;
    const checkpointer = new Checkpointer("/nonexistent/dir/agentbox.db", (error) => {
      failure = error;
    });
    const until = Date.now() + 5000;
    while (!failure && Date.now() < until) await Bun.sleep(10);
    expect(String(failure)).toContain("checkpoint thread failed");
    checkpointer.poke(); // ignored once the thread is gone
    await checkpointer.close();
  });
});
