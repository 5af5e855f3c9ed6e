// Cross-check of RecordKv's key-value client against the official NATS JavaScript client (@nats-io/kv 3.4.0).
// Driven by RecordKv.Nats.Tests (KeyValue/NatsKvCrossClientTests); prints one JSON document on stdout.
//   node kv-crosscheck.mjs create <url> <bucket>          creates a bucket with history 10 (the way the JS client does)
//   node kv-crosscheck.mjs write  <url> <bucket>          performs puts, creates, updates, deletes, purges; prints each revision
//   node kv-crosscheck.mjs read   <url> <bucket> <key>... reads entries, histories, keys, status and raw headers
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";

const [, , mode, url, bucket, ...keys] = process.argv;
const nc = await connect({ servers: url });
const kvm = new Kvm(nc);
const b64 = (data) => Buffer.from(data ?? new Uint8Array()).toString("base64");
const utf8 = (text) => new TextEncoder().encode(text);
const entryJson = (e) => (e === null ? null : { key: e.key, revision: e.revision, operation: e.operation, value: b64(e.value) });

let result;
switch (mode) {
  case "create": {
    const kv = await kvm.create(bucket, { history: 10 });
    const status = await kv.status();
    result = { bucket: status.bucket, history: status.history };
    break;
  }
  case "write": {
    const kv = await kvm.open(bucket);
    const ops = [];
    const record = (op, key, revision) => ops.push({ op, key, revision });
    record("put", "js.a.b", await kv.put("js.a.b", utf8("one")));
    record("put", "js.a.b", await kv.put("js.a.b", utf8("two")));
    record("put", "js.x-y_z=w/v", await kv.put("js.x-y_z=w/v", utf8("slashes/and=equals")));
    record("create", "js.new", await kv.create("js.new", utf8("created")));
    const last = ops.filter((o) => o.key === "js.a.b").at(-1).revision;
    record("update", "js.a.b", await kv.update("js.a.b", utf8("three"), last));
    await kv.delete("js.x-y_z=w/v");
    record("delete", "js.x-y_z=w/v", (await kv.get("js.x-y_z=w/v")).revision);
    record("put", "js.p", await kv.put("js.p", utf8("to be purged")));
    await kv.purge("js.p");
    record("purge", "js.p", (await kv.get("js.p")).revision);
    record("create", "js.x-y_z=w/v", await kv.create("js.x-y_z=w/v", utf8("recreated after delete")));
    record("put", "js.bin", await kv.put("js.bin", new Uint8Array([0, 1, 2, 254, 255])));
    result = { ops };
    break;
  }
  case "read": {
    const kv = await kvm.open(bucket);
    const jsm = await jetstreamManager(nc);
    const entries = {};
    const history = {};
    const headers = {};
    for (const key of keys) {
      entries[key] = entryJson(await kv.get(key));
      const h = [];
      const iter = await kv.history({ key });
      for await (const e of iter) {
        h.push(entryJson(e));
      }
      history[key] = h;
      const sm = await jsm.streams.getMessage(`KV_${bucket}`, { last_by_subj: `$KV.${bucket}.${key}` }).catch(() => null);
      const hdrs = {};
      if (sm?.header) {
        for (const [name, values] of sm.header) {
          hdrs[name] = values;
        }
      }
      headers[key] = hdrs;
    }
    const listed = [];
    for await (const k of await kv.keys()) {
      listed.push(k);
    }
    listed.sort();
    const status = await kv.status();
    result = { entries, history, headers, keys: listed, status: { bucket: status.bucket, values: status.values, history: status.history } };
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}

process.stdout.write(JSON.stringify(result) + "\n");
await nc.close();
