// ts-reset makes JSON.parse and friends return unknown, so untrusted data must pass a schema first.
import "@total-typescript/ts-reset";
