// Generates MST cross-check cases with Bluesky's own implementation (@atproto/repo 0.8.13), deterministically
// from a seed, and prints one JSON object per line. RecordKv's MstCrossCheckTests rebuild every case with our
// MST and compare roots, node blocks, record CIDs, diffs, commit proofs and proof inversion.
//
// usage: node mst-crosscheck.mjs [seed] [cases]
import { BlockMap, MemoryBlockstore, Repo, WriteOpAction } from '@atproto/repo';
import { Secp256k1Keypair } from '@atproto/crypto';

const seed = Number(process.argv[2] ?? 1);
const caseCount = Number(process.argv[3] ?? 300);

// mulberry32: a small deterministic PRNG, so every run with the same seed produces the same cases.
function prng(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(seed);
const int = (n) => Math.floor(random() * n);
const pick = (items) => items[int(items.length)];

const collections = [
  'app.bsky.feed.post', 'app.bsky.feed.post', 'app.bsky.feed.like', 'app.bsky.feed.like', 'app.bsky.feed.like',
  'app.bsky.graph.follow', 'app.bsky.feed.repost', 'app.bsky.graph.block', 'app.bsky.actor.profile',
  'com.example.odd-records', 'xyz.statusphere.status',
];
const sortable = '234567abcdefghijklmnopqrstuvwxyz';
const rkeyChars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:~';

// TIDs: 53 bits of microseconds and 10 bits of clock id, base32-sortable. Keys of one account cluster in time,
// so they share long prefixes (which exercises the prefix compression).
const epoch = 1_700_000_000_000_000n;
function tid() {
  const micros = epoch + BigInt(int(2 ** 30)) * 1000n + BigInt(int(1000));
  let value = (micros << 10n) | BigInt(int(1024));
  let text = '';
  for (let i = 0; i < 13; i++) {
    text = sortable[Number(value & 31n)] + text;
    value >>= 5n;
  }
  return text;
}

function oddRkey() {
  if (random() < 0.2) return 'self';
  const length = random() < 0.05 ? 100 + int(400) : 1 + int(30);
  let text = '';
  for (let i = 0; i < length; i++) text += pick(rkeyChars);
  return text === '.' || text === '..' ? 'dot' : text;
}

function newKey(taken) {
  for (;;) {
    const collection = pick(collections);
    const rkey = collection === 'app.bsky.actor.profile' || collection.startsWith('com.') ? oddRkey() : tid();
    const key = `${collection}/${rkey}`;
    if (!taken.has(key)) return { collection, rkey, key };
  }
}

let recordCounter = 0;
function record(collection) {
  recordCounter++;
  return { $type: collection, text: `record ${seed}-${recordCounter}`, createdAt: '2024-11-22T00:00:00.000Z', n: recordCounter };
}

const b64 = (bytes) => Buffer.from(bytes).toString('base64');

async function recordBlock(value) {
  const map = new BlockMap();
  const cid = await map.add(value);
  return { cid, bytes: map.get(cid) };
}

async function mstNodes(mst) {
  const nodes = [];
  for await (const entry of mst.walk()) {
    if (entry.isTree()) {
      const { cid, bytes } = await entry.serialize();
      nodes.push([cid.toString(), b64(bytes)]);
    }
  }
  return nodes;
}

const privateKey = new Uint8Array(32);
for (let i = 0; i < 32; i++) privateKey[i] = (seed * 31 + i * 7 + 1) & 0xff;
const keypair = await Secp256k1Keypair.import(privateKey);
const did = 'did:plc:crosscheck';

for (let c = 0; c < caseCount; c++) {
  const size = random() < 0.1 ? 0 : random() < 0.65 ? int(30) : random() < 0.85 ? 30 + int(70) : 100 + int(200);
  const taken = new Map();
  const records = new Map();
  const initialWrites = [];
  for (let i = 0; i < size; i++) {
    const { collection, rkey, key } = newKey(taken);
    const value = record(collection);
    const block = await recordBlock(value);
    taken.set(key, block.cid);
    records.set(block.cid.toString(), b64(block.bytes));
    initialWrites.push({ action: WriteOpAction.Create, collection, rkey, record: value });
  }

  const storage = new MemoryBlockstore();
  const repo = await Repo.create(storage, did, keypair, initialWrites);

  const opCount = random() < 0.5 ? 1 : random() < 0.7 ? 2 + int(2) : 4 + int(5);
  const writes = [];
  const ops = [];
  const touched = new Set();
  for (let i = 0; i < opCount; i++) {
    const existing = [...taken.keys()].filter((k) => !touched.has(k));
    const kind = existing.length === 0 ? 0 : int(3);
    if (kind === 0) {
      const { collection, rkey, key } = newKey(taken);
      const value = record(collection);
      const block = await recordBlock(value);
      records.set(block.cid.toString(), b64(block.bytes));
      touched.add(key);
      taken.set(key, null);
      writes.push({ action: WriteOpAction.Create, collection, rkey, record: value });
      ops.push({ action: 'create', key, cid: block.cid.toString(), prev: null });
    } else {
      const key = pick(existing);
      const [collection, rkey] = key.split('/');
      touched.add(key);
      const prev = taken.get(key).toString();
      if (kind === 1) {
        const value = record(collection);
        const block = await recordBlock(value);
        records.set(block.cid.toString(), b64(block.bytes));
        writes.push({ action: WriteOpAction.Update, collection, rkey, record: value });
        ops.push({ action: 'update', key, cid: block.cid.toString(), prev });
      } else {
        writes.push({ action: WriteOpAction.Delete, collection, rkey });
        ops.push({ action: 'delete', key, cid: null, prev });
      }
    }
  }

  const commit = await repo.formatCommit(writes, keypair);
  const after = await repo.applyCommit(commit);
  const afterNodes = await mstNodes(after.data);
  const afterNodeCids = new Set(afterNodes.map(([cid]) => cid));
  const proof = [];
  for (const { cid, bytes } of commit.relevantBlocks.entries()) {
    const text = cid.toString();
    const kind = text === commit.cid.toString() ? 'commit' : afterNodeCids.has(text) ? 'mst' : records.has(text) ? 'record' : 'other';
    proof.push([text, kind, b64(bytes)]);
  }

  const leaves = [];
  for (const [key, cid] of taken) if (cid !== null) leaves.push([key, cid.toString()]);

  console.log(JSON.stringify({
    case: c,
    leaves,
    records: [...records.entries()],
    rootBefore: (await repo.data.getPointer()).toString(),
    nodesBefore: await mstNodes(repo.data),
    ops,
    rootAfter: (await after.data.getPointer()).toString(),
    nodesAfter: afterNodes,
    commitBlocks: proof,
  }));
}
