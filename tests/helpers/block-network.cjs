// Preload (node --require) that makes any network use fail loudly, in the main thread and in every
// worker thread (workers inherit --require). Local IPC over a Unix socket path (tsx uses one) is allowed.
const { threadId } = require("node:worker_threads");
const net = require("node:net");

function deny(what) {
  process.stderr.write(`NETWORK ATTEMPT in thread ${threadId}: ${what}\n`);
  throw new Error("network access is blocked in this test");
}

globalThis.fetch = (url) => deny(`fetch ${String(url)}`);
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // net.connect() passes its normalised arguments as one array: [options, callback].
  const opts = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (opts && typeof opts === "object" && typeof opts.path === "string") {
    return connect.apply(this, args);
  }
  return deny(`socket connect ${JSON.stringify(opts)}`);
};
process.stderr.write(`network blocked in thread ${threadId}\n`);
