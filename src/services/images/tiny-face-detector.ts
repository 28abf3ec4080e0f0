/**
 * @module tiny-face-detector
 * face-api's tiny face detector (a small YOLO-style network: one 3x3 convolution, five depthwise-
 * separable blocks, max pooling, a 1x1 head with five anchor boxes per cell) run with its own weights
 * as fused operations. face-api's forward pass spends most of its CPU outside the convolutions on the
 * WASM backend: the mean-colour subtraction builds a full-size image by concatenating three constant
 * planes (a per-pixel JavaScript copy), every block pads explicitly, and each leaky ReLU is four
 * element-wise passes. Here the mean subtraction and the /255 scaling are folded into the first
 * convolution's weights (exact: that convolution is unpadded), the padding becomes the convolution's
 * own ("same"), and bias plus leaky ReLU (alpha 0.1) are fused into each pointwise convolution.
 *
 * Decoding follows face-api's: sigmoid objectness above the score threshold, boxes from the anchors
 * relative to the padded square, then greedy non-maximum suppression at IoU 0.4. A test compares the
 * face counts with face-api's own detectAllFaces on real photographs (ADR 020).
 */
import * as tf from "@tensorflow/tfjs";
import type { RawRgb } from "./decode-image.ts";

/** face-api's TinyFaceDetector constants (src/tinyFaceDetector/const.ts in the package). */
const MEAN_RGB = [117.001, 114.697, 97.404] as const;
const ANCHORS: readonly (readonly [number, number])[] = [
  [1.603231, 2.094468],
  [6.041143, 7.080126],
  [2.882459, 3.518061],
  [4.266906, 5.178857],
  [9.041765, 10.66308],
];
const IOU_THRESHOLD = 0.4;
const LEAKY_ALPHA = 0.1;

interface ConvParams {
  filters: tf.Tensor4D;
  bias: tf.Tensor1D;
}
interface SeparableParams {
  depthwise_filter: tf.Tensor4D;
  pointwise_filter: tf.Tensor4D;
  bias: tf.Tensor1D;
}
/** The shape of face-api's loaded TinyFaceDetector params (`nets.tinyFaceDetector.params`). */
export interface TinyFaceParams {
  conv0: ConvParams;
  conv1: SeparableParams;
  conv2: SeparableParams;
  conv3: SeparableParams;
  conv4: SeparableParams;
  conv5: SeparableParams;
  conv8: ConvParams;
}

export interface TinyFaceDetector {
  /** Number of faces scoring above the threshold, after non-maximum suppression. */
  countFaces(image: RawRgb): Promise<number>;
  dispose(): void;
}

function isTensor(x: unknown, rank: number): boolean {
  return x instanceof tf.Tensor && x.rank === rank;
}

/** Checks that `p` has the tiny face detector's layout (a face-api upgrade could change it). */
export function isTinyFaceParams(p: unknown): p is TinyFaceParams {
  if (typeof p !== "object" || p === null) return false;
  const r = p as Record<string, unknown>;
  const conv = (c: unknown) =>
    typeof c === "object" &&
    c !== null &&
    isTensor((c as ConvParams).filters, 4) &&
    isTensor((c as ConvParams).bias, 1);
  const sep = (c: unknown) =>
    typeof c === "object" &&
    c !== null &&
    isTensor((c as SeparableParams).depthwise_filter, 4) &&
    isTensor((c as SeparableParams).pointwise_filter, 4) &&
    isTensor((c as SeparableParams).bias, 1);
  return (
    conv(r.conv0) &&
    sep(r.conv1) &&
    sep(r.conv2) &&
    sep(r.conv3) &&
    sep(r.conv4) &&
    sep(r.conv5) &&
    conv(r.conv8) &&
    r.conv6 === undefined &&
    r.conv7 === undefined
  );
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
  score: number;
}

function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left));
  const h = Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  const inter = w * h;
  const area = (x: Box) => (x.right - x.left) * (x.bottom - x.top);
  return inter / (area(a) + area(b) - inter);
}

/** Greedy non-maximum suppression: keeps the best box, drops those overlapping it more than `limit`. */
export function nonMaxSuppressionCount(boxes: readonly Box[], limit: number): number {
  let rest = [...boxes].sort((a, b) => b.score - a.score);
  let kept = 0;
  while (rest.length > 0) {
    const best = rest[0];
    if (!best) break;
    kept++;
    rest = rest.slice(1).filter((b) => iou(best, b) <= limit);
  }
  return kept;
}

/**
 * Builds the fused detector from face-api's loaded weights (copied, so face-api may dispose its own).
 * @param inputSize side of the square network input (a multiple of 32)
 */
export function createTinyFaceDetector(
  params: TinyFaceParams,
  inputSize: number,
  scoreThreshold: number,
): TinyFaceDetector {
  const owned: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  // conv0 on (x - mean) / 255 with no padding = conv0' on x, with w' = w / 255 and
  // b' = b - sum over the kernel of w * mean / 255 (per output channel).
  const [kh = 0, kw = 0, cin = 0, cout = 0] = params.conv0.filters.shape;
  const w0 = params.conv0.filters.dataSync();
  const b0 = Float32Array.from(params.conv0.bias.dataSync());
  const w0f = new Float32Array(w0.length);
  for (let i = 0; i < w0.length; i++) {
    const o = i % cout;
    const c = Math.floor(i / cout) % cin;
    const w = w0[i] ?? 0;
    w0f[i] = w / 255;
    b0[o] = (b0[o] ?? 0) - (w * (MEAN_RGB[c] ?? 0)) / 255;
  }
  const conv0 = { filter: keep(tf.tensor4d(w0f, [kh, kw, cin, cout])), bias: keep(tf.tensor1d(b0)) };
  const blocks = [params.conv1, params.conv2, params.conv3, params.conv4, params.conv5].map((p) => ({
    depthwise: keep(tf.clone(p.depthwise_filter)),
    pointwise: keep(tf.clone(p.pointwise_filter)),
    bias: keep(tf.clone(p.bias)),
  }));
  const head = { filter: keep(tf.clone(params.conv8.filters)), bias: keep(tf.clone(params.conv8.bias)) };
  const boxSize = 5;
  const headChannels = head.filter.shape[3];
  if (headChannels !== ANCHORS.length * boxSize) throw new Error("tiny face detector: unexpected head size");

  const forward = (image: RawRgb): tf.Tensor4D =>
    tf.tidy(() => {
      const { width, height } = image;
      const side = Math.max(width, height);
      let x: tf.Tensor4D = tf.tensor4d(Float32Array.from(image.data), [1, height, width, 3]);
      // face-api pads the short side at the bottom or right with zeros, then resizes to the input size.
      if (width !== height) {
        x = tf.pad(x, [
          [0, 0],
          [0, side - height],
          [0, side - width],
          [0, 0],
        ]);
      }
      if (side !== inputSize) x = tf.image.resizeBilinear(x, [inputSize, inputSize], false, false);
      const leaky = { activation: "leakyrelu" as const, leakyreluAlpha: LEAKY_ALPHA };
      x = tf.fused.conv2d({ x, filter: conv0.filter, bias: conv0.bias, strides: 1, pad: "valid", ...leaky });
      for (const b of blocks) {
        x = tf.maxPool(x, [2, 2], [2, 2], "same");
        x = tf.depthwiseConv2d(x, b.depthwise, 1, "same");
        x = tf.fused.conv2d({ x, filter: b.pointwise, bias: b.bias, strides: 1, pad: "valid", ...leaky });
      }
      x = tf.maxPool(x, [2, 2], [1, 1], "same");
      return tf.fused.conv2d({ x, filter: head.filter, bias: head.bias, strides: 1, pad: "valid" });
    });

  return {
    async countFaces(image) {
      const out = forward(image);
      let values: Float32Array | Int32Array | Uint8Array;
      const cells = out.shape[1];
      try {
        values = await out.data();
      } finally {
        out.dispose();
      }
      // Box coordinates are relative to the image inside the padded square (face-api's correction).
      const scale = inputSize / Math.max(image.width, image.height);
      const fx = inputSize / Math.round(image.width * scale);
      const fy = inputSize / Math.round(image.height * scale);
      const boxes: Box[] = [];
      for (let row = 0; row < cells; row++) {
        for (let col = 0; col < cells; col++) {
          for (let a = 0; a < ANCHORS.length; a++) {
            const o = ((row * cells + col) * ANCHORS.length + a) * boxSize;
            const score = sigmoid(values[o + 4] ?? 0);
            if (score <= scoreThreshold) continue;
            const [ax, ay] = ANCHORS[a] ?? [0, 0];
            const cx = ((col + sigmoid(values[o] ?? 0)) / cells) * fx;
            const cy = ((row + sigmoid(values[o + 1] ?? 0)) / cells) * fy;
            const w = ((Math.exp(values[o + 2] ?? 0) * ax) / cells) * fx;
            const h = ((Math.exp(values[o + 3] ?? 0) * ay) / cells) * fy;
            boxes.push({ left: cx - w / 2, top: cy - h / 2, right: cx + w / 2, bottom: cy + h / 2, score });
          }
        }
      }
      return nonMaxSuppressionCount(boxes, IOU_THRESHOLD);
    },
    dispose() {
      for (const t of owned) t.dispose();
    },
  };
}
