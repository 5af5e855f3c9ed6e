// Core NATS throughput/latency of the official JavaScript client (@nats-io/transport-node), measured the same
// way as tests/RecordKv.Benchmarks/NatsCoreBenchmarks.cs so scripts/bench-nats.sh can compare them in one run.
// Prints one JSON line. NATS_URL selects the server; BENCH_ROUNDS the repetitions (the median is reported).
import { connect } from "@nats-io/transport-node";

const servers = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const messages = 100_000;
const requests = 5_000;
const payload = new Uint8Array(128);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

async function publishRate(nc) {
  await nc.flush();
  const start = process.hrtime.bigint();
  for (let i = 0; i < messages; i++) {
    nc.publish("bench.js.publish", payload);
  }
  await nc.flush();
  return messages / seconds(start);
}

async function publishSubscribeRate(pub, sub) {
  let received = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const subscription = sub.subscribe("bench.js.pubsub", {
    callback: () => {
      if (++received === messages) done();
    },
  });
  await sub.flush();
  const start = process.hrtime.bigint();
  for (let i = 0; i < messages; i++) {
    pub.publish("bench.js.pubsub", payload);
  }
  await finished;
  const rate = messages / seconds(start);
  subscription.unsubscribe();
  return rate;
}

async function requestLatencyMicros(requester, responder) {
  const service = responder.subscribe("bench.js.request", { callback: (_, msg) => msg.respond(msg.data) });
  await responder.flush();
  for (let i = 0; i < 200; i++) {
    await requester.request("bench.js.request", payload, { timeout: 5000 });
  }
  const start = process.hrtime.bigint();
  for (let i = 0; i < requests; i++) {
    await requester.request("bench.js.request", payload, { timeout: 5000 });
  }
  const micros = (seconds(start) * 1e6) / requests;
  service.unsubscribe();
  return micros;
}

const publisher = await connect({ servers, name: "bench-js-publisher" });
const subscriber = await connect({ servers, name: "bench-js-subscriber" });
const publish = [];
const pubsub = [];
const latency = [];
for (let round = 0; round < rounds; round++) {
  publish.push(await publishRate(publisher));
  pubsub.push(await publishSubscribeRate(publisher, subscriber));
  latency.push(await requestLatencyMicros(publisher, subscriber));
}
await publisher.close();
await subscriber.close();
console.log(JSON.stringify({
  client: "@nats-io/transport-node 3.4.0",
  node: process.version,
  publishMsgsPerSec: median(publish),
  pubSubMsgsPerSec: median(pubsub),
  requestLatencyMicros: median(latency),
}));
