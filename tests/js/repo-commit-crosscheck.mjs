// Builds a repository and a follow-up commit with Bluesky's own @atproto/repo and @atproto/crypto, the way a PDS
// does (sync 1.1: the commit's new blocks plus its "relevant" proof blocks, ops with prev, prevData), and prints
// them as one JSON object, so the C# repository loader and commit verifier check data nobody on this project wrote.
// Usage: node repo-commit-crosscheck.mjs
import atprotoRepo from '@atproto/repo'
import atprotoCrypto from '@atproto/crypto'

const { Repo, MemoryBlockstore, WriteOpAction, blocksToCarFile, BlockMap } = atprotoRepo
const { Secp256k1Keypair } = atprotoCrypto

const collection = 'app.bsky.feed.post'
const rkey = (i) => `3lhhx${String(i).padStart(4, '0')}aaaa2`
const post = (text) => ({ $type: collection, text, createdAt: '2025-02-06T01:43:22.273Z' })
const b64 = (bytes) => Buffer.from(bytes).toString('base64')

const keypair = await Secp256k1Keypair.create()
const storage = new MemoryBlockstore()
const did = 'did:plc:crosscheck2345abcdefghijk'
const creates = []
for (let i = 0; i < 40; i++) {
  creates.push({ action: WriteOpAction.Create, collection, rkey: rkey(i), record: post(`post ${i}`) })
}
const repo = await Repo.create(storage, did, keypair, creates)
const records = []
for await (const entry of repo.walkRecords()) {
  records.push({ path: `${entry.collection}/${entry.rkey}`, cid: entry.cid.toString() })
}
const repositoryCar = await blocksToCarFile(repo.cid, storage.blocks)

const updatedPath = `${collection}/${rkey(10)}`
const deletedPath = `${collection}/${rkey(20)}`
const updatedPrev = await repo.data.get(updatedPath)
const deletedPrev = await repo.data.get(deletedPath)
const writes = [
  { action: WriteOpAction.Create, collection, rkey: '3lhhxzzzzzzz2', record: post('a new post') },
  { action: WriteOpAction.Update, collection, rkey: rkey(10), record: post('an edited post') },
  { action: WriteOpAction.Delete, collection, rkey: rkey(20) },
]
const commitData = await repo.formatCommit(writes, keypair)
const next = await repo.applyCommit(commitData)
const blocks = new BlockMap()
blocks.addMap(commitData.newBlocks)
blocks.addMap(commitData.relevantBlocks)
const createdPath = `${collection}/3lhhxzzzzzzz2`
const ops = [
  { action: 'create', path: createdPath, cid: (await next.data.get(createdPath)).toString() },
  { action: 'update', path: updatedPath, cid: (await next.data.get(updatedPath)).toString(), prev: updatedPrev.toString() },
  { action: 'delete', path: deletedPath, cid: null, prev: deletedPrev.toString() },
]

process.stdout.write(JSON.stringify({
  did,
  didKey: keypair.did(),
  repositoryCarBase64: b64(repositoryCar),
  first: { commit: repo.cid.toString(), rev: repo.commit.rev, data: repo.commit.data.toString() },
  records,
  commit: {
    commit: commitData.cid.toString(),
    rev: commitData.rev,
    since: commitData.since,
    prevData: repo.commit.data.toString(),
    data: next.commit.data.toString(),
    blocksBase64: b64(await blocksToCarFile(commitData.cid, blocks)),
    ops,
  },
}))
