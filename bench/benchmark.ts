/** A benchmark: `run` returns the Markdown body of its section in docs/BENCHMARKS.md. */
export interface Benchmark {
  name: string;
  title: string;
  run(opts: { quick: boolean }): Promise<string>;
}
