import * as tf from "@tensorflow/tfjs";
import { load } from "nsfwjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fuseLayersModel, type FusedModel } from "./fused-model.ts";
import { loadImageModels } from "./image-models.ts";

// Loading the image models once selects the WASM backend the service uses.
let original: tf.LayersModel;
let fused: FusedModel;

beforeAll(async () => {
  (await loadImageModels({ faces: false, faceInputSize: 320, faceScoreThreshold: 0.5 })).dispose();
  const info = console.info;
  console.info = () => {};
  const h: unknown = await load("MobileNetV2").finally(() => {
    console.info = info;
  });
  const model = (h as { model: unknown }).model;
  if (!(model instanceof tf.LayersModel)) throw new Error("not a LayersModel");
  original = model;
  fused = fuseLayersModel(original);
}, 60_000);
afterAll(() => {
  fused.dispose();
  original.dispose();
});

describe("fuseLayersModel on nsfwjs MobileNetV2", () => {
  it("folds batch norms, ReLU6 and padding: far fewer operations", () => {
    expect(original.layers.length).toBe(162);
    // 52 convolutions (each with its BN and ReLU folded in), 10 adds, pool, flatten, 3 dense.
    expect(fused.steps).toBe(67);
  });

  it("gives the same probabilities as the model's own predict", () => {
    tf.tidy(() => {
      // Random pixels and a smooth image: different activation ranges.
      const noise = tf.randomUniform([3, 224, 224, 3], 0, 1, "float32", 7);
      const ramp = tf.linspace(0, 1, 224 * 224 * 3).reshape([1, 224, 224, 3]);
      const x = tf.concat([noise, ramp]) as tf.Tensor4D;
      const a = (original.predict(x) as tf.Tensor).arraySync() as number[][];
      const b = fused.predict(x).arraySync();
      expect(b.length).toBe(4);
      for (let i = 0; i < 4; i++) {
        for (let c = 0; c < 5; c++) expect(Math.abs((a[i]?.[c] ?? 0) - (b[i]?.[c] ?? 1))).toBeLessThan(1e-4);
      }
    });
  });

  it("refuses a layer type it does not understand instead of running it wrongly", () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const out = tf.layers.maxPooling2d({ poolSize: 2 }).apply(input) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: out });
    expect(() => fuseLayersModel(m)).toThrow(/MaxPooling2D .* not supported/);
  });
});
