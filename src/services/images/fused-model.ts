/**
 * @module fused-model
 * Runs a Keras-style tfjs LayersModel (nsfwjs's MobileNetV2) as a short list of fused operations with
 * the same weights: every batch normalisation that follows a convolution is folded into that
 * convolution's weights and bias, the ReLU / ReLU6 after it becomes the convolution's fused activation,
 * a ZeroPadding2D in front of a "valid" convolution becomes the convolution's own padding when that is
 * the same arithmetic, and Dropout is skipped (inference). The result is the same function (up to
 * float rounding; tests compare it with the model's own predict) at about half the CPU on the WASM
 * backend, where the model's 52 separate batch-norm passes cost nearly as much as its convolutions
 * (profile in ADR 020).
 *
 * Only the layer types MobileNet-style models use are understood; any other makes `fuseLayersModel`
 * throw, so a changed model is noticed rather than run wrongly.
 */
import * as tf from "@tensorflow/tfjs";

type Activation = "linear" | "relu" | "relu6";

/** One operation of the compiled plan; `inputs` name earlier steps (or the model input). */
type Step =
  | {
      kind: "conv";
      name: string;
      input: string;
      depthwise: boolean;
      filter: tf.Tensor4D;
      bias: tf.Tensor1D | undefined;
      strides: [number, number];
      pad: "same" | "valid";
      activation: Activation;
    }
  | { kind: "pad"; name: string; input: string; paddings: [[number, number], [number, number]] }
  | { kind: "batchNorm"; name: string; input: string; scale: tf.Tensor1D; offset: tf.Tensor1D }
  | { kind: "activation"; name: string; input: string; activation: Activation }
  | { kind: "add"; name: string; inputs: string[] }
  | { kind: "avgPool"; name: string; input: string; pool: [number, number]; strides: [number, number] }
  | { kind: "flatten"; name: string; input: string }
  | {
      kind: "dense";
      name: string;
      input: string;
      kernel: tf.Tensor2D;
      bias: tf.Tensor1D | undefined;
      activation: Activation | "softmax";
    };

export interface FusedModel {
  /** Same contract as LayersModel.predict for a single-input, single-output model. */
  predict(x: tf.Tensor4D): tf.Tensor2D;
  /** Number of operations run per forward pass (the original model's layer count, for comparison). */
  readonly steps: number;
  dispose(): void;
}

/** The subset of a tfjs layer this module reads. */
interface LayerLike {
  name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  getWeights(): tf.Tensor[];
  inboundNodes: { inboundLayers: { name: string }[]; inputShapes: unknown }[];
}

const num = (v: unknown, what: string): number => {
  if (typeof v !== "number") throw new Error(`fused model: ${what} is not a number`);
  return v;
};
const pair = (v: unknown, what: string): [number, number] => {
  if (Array.isArray(v) && v.length === 2) return [num(v[0], what), num(v[1], what)];
  if (typeof v === "number") return [v, v];
  throw new Error(`fused model: ${what} is not a pair`);
};

function reluActivation(cfg: Record<string, unknown>): Activation {
  const max = cfg.maxValue;
  const slope = cfg.negativeSlope ?? 0;
  const threshold = cfg.threshold ?? 0;
  if (slope !== 0 || threshold !== 0) throw new Error("fused model: leaky or thresholded ReLU");
  if (max === null || max === undefined) return "relu";
  if (max === 6) return "relu6";
  throw new Error(`fused model: ReLU with max_value ${JSON.stringify(max)}`);
}

function configActivation(cfg: Record<string, unknown>): Activation | "softmax" {
  const a = cfg.activation ?? "linear";
  if (a === "linear" || a === "relu" || a === "relu6" || a === "softmax") return a;
  throw new Error(`fused model: activation ${JSON.stringify(a)}`);
}

/** Per-channel multiplier and offset of an inference batch normalisation. */
function batchNormAffine(layer: LayerLike): { scale: Float32Array; offset: Float32Array } {
  const cfg = layer.getConfig();
  const axis = cfg.axis;
  if (!(axis === -1 || axis === 3 || (Array.isArray(axis) && (axis[0] === -1 || axis[0] === 3)))) {
    throw new Error("fused model: batch normalisation not over the channel axis");
  }
  const eps = num(cfg.epsilon, "epsilon");
  const w = layer.getWeights().map((t) => t.dataSync());
  let i = 0;
  const gamma = cfg.scale === false ? undefined : w[i++];
  const beta = cfg.center === false ? undefined : w[i++];
  const mean = w[i++];
  const variance = w[i++];
  if (!mean || !variance) throw new Error("fused model: batch normalisation without statistics");
  const scale = new Float32Array(mean.length);
  const offset = new Float32Array(mean.length);
  for (let c = 0; c < mean.length; c++) {
    const s = (gamma?.[c] ?? 1) / Math.sqrt((variance[c] ?? 0) + eps);
    scale[c] = s;
    offset[c] = (beta?.[c] ?? 0) - (mean[c] ?? 0) * s;
  }
  return { scale, offset };
}

/** Whether ZeroPadding (top, bottom, left, right) then a "valid" conv equals the conv with "same". */
function paddingIsSame(
  inH: number,
  inW: number,
  pads: [[number, number], [number, number]],
  kernel: [number, number],
  strides: [number, number],
): boolean {
  const same = (n: number, k: number, s: number): [number, number] => {
    const out = Math.ceil(n / s);
    const total = Math.max(0, (out - 1) * s + k - n);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  const [t, b] = same(inH, kernel[0], strides[0]);
  const [l, r] = same(inW, kernel[1], strides[1]);
  const validOut = (n: number, p: [number, number], k: number, s: number) =>
    Math.floor((n + p[0] + p[1] - k) / s) + 1;
  return (
    pads[0][0] === t &&
    pads[0][1] === b &&
    pads[1][0] === l &&
    pads[1][1] === r &&
    validOut(inH, pads[0], kernel[0], strides[0]) === Math.ceil(inH / strides[0]) &&
    validOut(inW, pads[1], kernel[1], strides[1]) === Math.ceil(inW / strides[1])
  );
}

/**
 * Compiles `model` into fused steps. The model's own weights are copied (folded), so the returned
 * model stays valid after the original is disposed.
 * @throws Error for a layer type or option this module does not understand.
 */
export function fuseLayersModel(model: tf.LayersModel): FusedModel {
  const layers = model.layers as unknown as LayerLike[];
  const byName = new Map(layers.map((l) => [l.name, l]));
  const inputsOf = (l: LayerLike): string[] =>
    (l.inboundNodes[0]?.inboundLayers ?? []).map((x) => x.name).filter((n) => byName.has(n));
  const consumers = new Map<string, string[]>();
  for (const l of layers) {
    for (const i of inputsOf(l)) consumers.set(i, [...(consumers.get(i) ?? []), l.name]);
  }
  /** The single layer reading `name`'s output, when exactly one does. */
  const soleConsumer = (name: string): LayerLike | undefined => {
    const c = consumers.get(name) ?? [];
    return c.length === 1 && c[0] ? byName.get(c[0]) : undefined;
  };
  const shapeOf = (l: LayerLike): number[] => {
    // inputShapes is one shape for a single input, or a list of shapes.
    const raw = l.inboundNodes[0]?.inputShapes;
    const s: unknown = Array.isArray(raw) && Array.isArray(raw[0]) ? raw[0] : raw;
    if (!Array.isArray(s) || s.length !== 4) throw new Error(`fused model: ${l.name} has no 4-D input shape`);
    return s.map((d) => (typeof d === "number" ? d : 0));
  };

  const steps: Step[] = [];
  const alias = new Map<string, string>(); // layer whose output is another step's output
  const src = (name: string): string => alias.get(name) ?? name;
  const absorbed = new Set<string>();
  let inputName = "";
  const owned: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };

  for (const layer of layers) {
    if (absorbed.has(layer.name)) continue;
    const cls = layer.getClassName();
    const cfg = layer.getConfig();
    const ins = inputsOf(layer).map(src);
    const input = ins[0] ?? "";
    switch (cls) {
      case "InputLayer":
        inputName = layer.name;
        break;
      case "Dropout":
        alias.set(layer.name, input);
        break;
      case "ZeroPadding2D": {
        const p = cfg.padding;
        const paddings: [[number, number], [number, number]] = Array.isArray(p)
          ? [pair(p[0], "padding"), pair(p[1], "padding")]
          : [pair(p, "padding"), pair(p, "padding")];
        const next = soleConsumer(layer.name);
        const nc = next?.getConfig();
        if (
          next &&
          nc &&
          (next.getClassName() === "Conv2D" || next.getClassName() === "DepthwiseConv2D") &&
          nc.padding === "valid"
        ) {
          const [, h, w] = shapeOf(layer);
          if (
            paddingIsSame(
              h ?? 0,
              w ?? 0,
              paddings,
              pair(nc.kernelSize, "kernel"),
              pair(nc.strides, "strides"),
            )
          ) {
            // The convolution will pad itself ("same"); see the Conv2D case.
            alias.set(layer.name, input);
            break;
          }
        }
        steps.push({ kind: "pad", name: layer.name, input, paddings });
        break;
      }
      case "Conv2D":
      case "DepthwiseConv2D": {
        const depthwise = cls === "DepthwiseConv2D";
        if (pair(cfg.dilationRate ?? 1, "dilation").some((d) => d !== 1)) {
          throw new Error("fused model: dilated convolution");
        }
        if (cfg.dataFormat !== undefined && cfg.dataFormat !== "channelsLast") {
          throw new Error("fused model: channels_first");
        }
        if (depthwise && cfg.depthMultiplier !== 1) throw new Error("fused model: depth multiplier");
        const weights = layer.getWeights();
        const kernel = weights[0];
        if (!kernel || kernel.rank !== 4) throw new Error(`fused model: ${layer.name} has no kernel`);
        const [kh = 0, kw = 0, cin = 0, cout0 = 0] = kernel.shape;
        const outChannels = depthwise ? cin : cout0;
        const filter = Float32Array.from(kernel.dataSync());
        const useBias = cfg.useBias !== false;
        const bias = useBias
          ? Float32Array.from(weights[1]?.dataSync() ?? [])
          : new Float32Array(outChannels);
        let activation: Activation;
        const own = configActivation(cfg);
        if (own === "softmax") throw new Error("fused model: softmax convolution");
        activation = own;
        let last = layer.name;
        let hasBias = useBias;
        const bn = soleConsumer(layer.name);
        if (activation === "linear" && bn?.getClassName() === "BatchNormalization") {
          // conv then BN: w' = w * s (per output channel), b' = b * s + (beta - mean * s).
          const { scale, offset } = batchNormAffine(bn);
          for (let i = 0; i < filter.length; i++) {
            filter[i] = (filter[i] ?? 0) * (scale[i % outChannels] ?? 1);
          }
          for (let c = 0; c < outChannels; c++) bias[c] = (bias[c] ?? 0) * (scale[c] ?? 1) + (offset[c] ?? 0);
          hasBias = true;
          absorbed.add(bn.name);
          last = bn.name;
        }
        const act = soleConsumer(last);
        if (activation === "linear" && act?.getClassName() === "ReLU") {
          activation = reluActivation(act.getConfig());
          absorbed.add(act.name);
          last = act.name;
        } else if (activation === "linear" && act?.getClassName() === "Activation") {
          const a = configActivation(act.getConfig());
          if (a !== "softmax") {
            activation = a;
            absorbed.add(act.name);
            last = act.name;
          }
        }
        // A padding layer folded into this convolution means "same" (checked where it was folded).
        const fromPad = inputsOf(layer)[0];
        const padFolded =
          fromPad !== undefined &&
          alias.has(fromPad) &&
          byName.get(fromPad)?.getClassName() === "ZeroPadding2D";
        const padding = padFolded ? "same" : cfg.padding;
        if (padding !== "same" && padding !== "valid") {
          throw new Error(`fused model: padding ${String(padding)}`);
        }
        steps.push({
          kind: "conv",
          name: last,
          input,
          depthwise,
          filter: keep(tf.tensor4d(filter, [kh, kw, cin, depthwise ? 1 : cout0])),
          bias: hasBias ? keep(tf.tensor1d(bias)) : undefined,
          strides: pair(cfg.strides, "strides"),
          pad: padding,
          activation,
        });
        break;
      }
      case "BatchNormalization": {
        const { scale, offset } = batchNormAffine(layer);
        steps.push({
          kind: "batchNorm",
          name: layer.name,
          input,
          scale: keep(tf.tensor1d(scale)),
          offset: keep(tf.tensor1d(offset)),
        });
        break;
      }
      case "ReLU":
        steps.push({ kind: "activation", name: layer.name, input, activation: reluActivation(cfg) });
        break;
      case "Activation": {
        const a = configActivation(cfg);
        if (a === "softmax") throw new Error("fused model: standalone softmax");
        steps.push({ kind: "activation", name: layer.name, input, activation: a });
        break;
      }
      case "Add":
        steps.push({ kind: "add", name: layer.name, inputs: ins });
        break;
      case "AveragePooling2D":
        if (cfg.padding !== "valid") throw new Error("fused model: padded average pooling");
        steps.push({
          kind: "avgPool",
          name: layer.name,
          input,
          pool: pair(cfg.poolSize, "poolSize"),
          strides: pair(cfg.strides ?? cfg.poolSize, "strides"),
        });
        break;
      case "Flatten":
        steps.push({ kind: "flatten", name: layer.name, input });
        break;
      case "Dense": {
        const w = layer.getWeights();
        const kernel = w[0];
        if (!kernel || kernel.rank !== 2) throw new Error(`fused model: ${layer.name} has no kernel`);
        steps.push({
          kind: "dense",
          name: layer.name,
          input,
          kernel: keep(tf.tensor2d(kernel.dataSync(), [kernel.shape[0] ?? 0, kernel.shape[1] ?? 0])),
          bias: cfg.useBias === false ? undefined : keep(tf.tensor1d(w[1]?.dataSync() ?? [])),
          activation: configActivation(cfg),
        });
        break;
      }
      default:
        throw new Error(`fused model: layer type ${cls} (${layer.name}) is not supported`);
    }
  }
  const outputName = src(model.outputNames.length === 1 ? (model.outputLayers[0]?.name ?? "") : "");
  if (!inputName || !outputName) throw new Error("fused model: needs one input and one output");

  const run = (x: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      const values = new Map<string, tf.Tensor>([[inputName, x]]);
      const get = (n: string): tf.Tensor => {
        const v = values.get(n);
        if (!v) throw new Error(`fused model: ${n} used before it was computed`);
        return v;
      };
      const get4 = (n: string): tf.Tensor4D => get(n) as tf.Tensor4D;
      for (const s of steps) {
        let y: tf.Tensor;
        switch (s.kind) {
          case "conv": {
            const args = { x: get4(s.input), filter: s.filter, strides: s.strides, pad: s.pad, bias: s.bias };
            const activation = s.activation === "linear" ? undefined : s.activation;
            y = s.depthwise
              ? tf.fused.depthwiseConv2d({ ...args, activation })
              : tf.fused.conv2d({ ...args, activation });
            break;
          }
          case "pad":
            y = tf.pad(get4(s.input), [[0, 0], s.paddings[0], s.paddings[1], [0, 0]]);
            break;
          case "batchNorm":
            y = tf.add(tf.mul(get(s.input), s.scale), s.offset);
            break;
          case "activation":
            y =
              s.activation === "relu6"
                ? tf.relu6(get(s.input))
                : s.activation === "relu"
                  ? tf.relu(get(s.input))
                  : get(s.input);
            break;
          case "add":
            y = tf.addN(s.inputs.map(get));
            break;
          case "avgPool":
            y = tf.avgPool(get4(s.input), s.pool, s.strides, "valid");
            break;
          case "flatten": {
            const v = get(s.input);
            y = tf.reshape(v, [v.shape[0] ?? -1, -1]);
            break;
          }
          case "dense": {
            const a = s.activation;
            const z = tf.fused.matMul({
              a: get(s.input),
              b: s.kernel,
              bias: s.bias,
              activation: a === "linear" || a === "softmax" ? undefined : a,
            });
            y = a === "softmax" ? tf.softmax(z) : z;
            break;
          }
        }
        values.set(s.name, y);
      }
      return get(outputName) as tf.Tensor2D;
    });

  return {
    predict: run,
    steps: steps.length,
    dispose: () => {
      for (const t of owned) t.dispose();
    },
  };
}
