#!/usr/bin/env node
// Cross-checks the RecordKv firehose simulator with Bluesky's own code:
//   1. @atproto/sync's verifying Firehose consumes subscribeRepos from --cursor (commit signatures against the
//      DID documents the simulator serves as a PLC directory, MST proofs of every op) until the runner's cursor
//      reaches --until-seq; every error it reports is counted by kind.
//   2. with --getrepo: every active repo from listRepos is fetched with getRepo and verified whole with
//      @atproto/repo's verifyRepo (signature, MST, every record block); its records are compared with
//      /_sim/expected.
// usage: node sim-verify.mjs --url http://127.0.0.1:PORT --until-seq N [--cursor 0] [--getrepo] [--timeout 120]
// Prints one JSON object and exits 0 (the caller judges the counts); exits 2 on bad usage, 3 on timeout.
import { createRequire } from 'node:module'
import { parseArgs } from 'node:util'

const require = createRequire(import.meta.url)
const { values: o } = parseArgs({
  options: {
    url: { type: 'string' },
    cursor: { type: 'string', default: '0' },
    'until-seq': { type: 'string' },
    getrepo: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '120' },
  },
})
if (!o.url || o['until-seq'] === undefined) {
  console.error('need --url http://127.0.0.1:PORT and --until-seq N')
  process.exit(2)
}
const base = o.url.replace(/\/$/, '')
const untilSeq = Number(o['until-seq'])
const { Firehose, MemoryRunner } = require('@atproto/sync')
const { IdResolver } = require('@atproto/identity')
const repo = require('@atproto/repo')

// The simulator is the PLC directory. did:web accounts (did:web:wN.sim.localhost) are served by the same server
// under the PLC-style path /{did} (and under /.well-known/did.json by Host header), so the did:web method is
// pointed at it too.
const idResolver = new IdResolver({ plcUrl: base, fetch: globalThis.fetch, timeout: 60000 })
idResolver.did.methods.get("web").resolveNoCheck = async (did) => {
  const res = await fetch(`${base}/${encodeURIComponent(did)}`)
  return res.ok ? res.json() : null
}

const out = {
  events: {},
  errors: { total: 0, byKind: {} },
  samples: [],
  cursor: null,
}
const seenErrorSeqs = new Set()
const classify = (err) => {
  const text = `${err?.name}: ${err?.message} ${err?.cause?.message ?? ''} ${err?.cause?.name ?? ''}`
  if (err?.name === 'FirehoseValidationError') return 'validation'
  if (err?.name === 'FirehoseSubscriptionError') return 'subscription'
  if (/Invalid signature/i.test(text)) return 'signature'
  if (/missing|not found|Could not find/i.test(text) && /block/i.test(text)) return 'missing-block'
  if (/car|varint|unexpected end|offset|bytes|Incorrect length/i.test(text)) return 'car'
  return 'other'
}

const timer = setTimeout(() => {
  out.timedOut = true
  finish(3)
}, Number(o.timeout) * 1000)

const seenEvents = new Set()
let resolveDone
const done = new Promise((r) => (resolveDone = r))
const runner = new MemoryRunner({
  startCursor: Number(o.cursor),
  setCursor: (cursor) => {
    out.cursor = cursor
    if (cursor >= untilSeq) resolveDone()
  },
})
const firehose = new Firehose({
  service: base.replace(/^http/, 'ws'),
  idResolver,
  unauthenticatedHandles: true,
  runner,
  subscriptionReconnectDelay: 200,
  handleEvent: (evt) => {
    // A reconnect (a missed heartbeat on a loaded machine) replays from the runner's cursor: count each event once.
    const key = `${evt.seq}:${evt.event}:${evt.uri?.toString() ?? evt.did}`
    if (seenEvents.has(key)) return
    seenEvents.add(key)
    out.events[evt.event] = (out.events[evt.event] ?? 0) + 1
  },
  onError: (err) => {
    // A reconnect replays from the runner's cursor: count each rejected event once.
    const seq = err?.event?.seq
    if (seq !== undefined) {
      if (seenErrorSeqs.has(seq)) return
      seenErrorSeqs.add(seq)
    }
    const kind = classify(err)
    out.errors.total++
    out.errors.byKind[kind] = (out.errors.byKind[kind] ?? 0) + 1
    if (out.samples.length < 20 || kind === 'other') out.samples.push(`${kind}: ${err?.name}: ${err?.message}${err?.cause ? ` (cause: ${err.cause?.message ?? err.cause})` : ''}`)
  },
})
firehose.start()
await done
await Promise.race([firehose.destroy(), new Promise((r) => setTimeout(r, 2000))])

if (o.getrepo) {
  const expected = new Map()
  for (const line of (await (await fetch(`${base}/_sim/expected`)).text()).split('\n')) {
    if (line) {
      const account = JSON.parse(line)
      expected.set(account.did, account)
    }
  }
  const result = { checked: 0, mismatches: [], failures: [] }
  let cursor
  do {
    const page = await (await fetch(`${base}/xrpc/com.atproto.sync.listRepos?limit=200${cursor ? `&cursor=${cursor}` : ''}`)).json()
    for (const entry of page.repos) {
      if (!entry.active) continue
      try {
        const res = await fetch(`${base}/xrpc/com.atproto.sync.getRepo?did=${encodeURIComponent(entry.did)}`)
        if (!res.ok) throw new Error(`getRepo ${res.status}`)
        const car = await repo.readCarWithRoot(new Uint8Array(await res.arrayBuffer()))
        const key = await idResolver.did.resolveAtprotoKey(entry.did, true)
        const verified = await repo.verifyRepo(car.blocks, car.root, entry.did, key)
        const got = new Map(verified.creates.map((c) => [`at://${entry.did}/${c.collection}/${c.rkey}`, c.cid.toString()]))
        const want = expected.get(entry.did)
        const wantRecords = new Map(want.records.map((r) => [r.uri, r.cid]))
        const same = got.size === wantRecords.size && [...got].every(([uri, cid]) => wantRecords.get(uri) === cid)
        if (!same || verified.commit.rev !== want.rev) result.mismatches.push(entry.did)
        result.checked++
      } catch (err) {
        result.failures.push(`${entry.did}: ${err.message}`)
      }
    }
    cursor = page.cursor
  } while (cursor)
  out.getRepo = result
}
finish(0)

function finish(code) {
  clearTimeout(timer)
  process.stdout.write(JSON.stringify(out) + '\n')
  process.exit(code)
}
