// JetStream and key-value throughput of the official NATS JavaScript client, for docs/benchmarks.md
// (scripts/bench-nats-jetstream.sh runs it beside RecordKv's own figures against the same nats-server).
//   node bench-js.mjs <url> <benchmark> <count> <size> <window>
// benchmark: publish (async publish with acks, at most <window> unacknowledged), consume (pull consume + ack),
// kvput (pipelined puts, <window> in flight), kvget (sequential gets). Prints one JSON line.
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, AckPolicy } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";

const [, , url, benchmark, countText, sizeText, windowText] = process.argv;
const count = Number(countText);
const size = Number(sizeText);
const windowSize = Number(windowText);
const nc = await connect({ servers: url });
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);
const payload = new Uint8Array(size).fill(97);
const name = `benchjs_${benchmark}_${size}_${process.pid}`;

async function publishAll(subjectOf) {
  const inFlight = [];
  for (let i = 0; i < count; i++) {
    inFlight.push(js.publish(subjectOf(i), payload));
    if (inFlight.length >= windowSize) {
      await inFlight.shift();
    }
  }
  await Promise.all(inFlight);
}

let seconds;
switch (benchmark) {
  case "publish": {
    await jsm.streams.add({ name, subjects: [`${name}.>`], storage: "file" });
    const start = process.hrtime.bigint();
    await publishAll(() => `${name}.x`);
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
    await jsm.streams.delete(name);
    break;
  }
  case "consume": {
    await jsm.streams.add({ name, subjects: [`${name}.>`], storage: "file" });
    await publishAll(() => `${name}.x`);
    await jsm.consumers.add(name, { durable_name: "bench", ack_policy: AckPolicy.Explicit, max_ack_pending: 20000 });
    const consumer = await js.consumers.get(name, "bench");
    const start = process.hrtime.bigint();
    const messages = await consumer.consume({ max_messages: 500 });
    let received = 0;
    for await (const m of messages) {
      m.ack();
      if (++received === count) {
        break;
      }
    }
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
    await jsm.streams.delete(name);
    break;
  }
  case "kvput":
  case "kvget": {
    const kvm = new Kvm(nc);
    const kv = await kvm.create(name, { history: 1 });
    const keys = Array.from({ length: 1000 }, (_, i) => `k.${i}`);
    let start = process.hrtime.bigint();
    const inFlight = [];
    for (let i = 0; i < count; i++) {
      inFlight.push(kv.put(keys[i % keys.length], payload));
      if (inFlight.length >= windowSize) {
        await inFlight.shift();
      }
    }
    await Promise.all(inFlight);
    if (benchmark === "kvget") {
      start = process.hrtime.bigint();
      for (let i = 0; i < count; i++) {
        await kv.get(keys[i % keys.length]);
      }
    }
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
    await kvm.js.jetstreamManager().then((m) => m.streams.delete(`KV_${name}`));
    break;
  }
  default:
    throw new Error(`unknown benchmark ${benchmark}`);
}

process.stdout.write(JSON.stringify({ client: "nats.js 3.4.0", benchmark, count, size, window: windowSize, seconds, rate: count / seconds }) + "\n");
await nc.close();
