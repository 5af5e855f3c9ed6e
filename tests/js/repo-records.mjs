// Prints every record of a repository CAR export as JSON Lines {uri, cid, value}, read by Bluesky's own
// @atproto/repo, so the C# `recordkv repo ls` output can be compared with data nobody on this project produced.
// Usage: node repo-records.mjs FILE.car
import { readFileSync } from 'node:fs'
import atprotoRepo from '@atproto/repo'
import atprotoLexicon from '@atproto/lexicon'

const { readCarWithRoot, MemoryBlockstore, Repo } = atprotoRepo
const { lexToJson } = atprotoLexicon

const { root, blocks } = await readCarWithRoot(readFileSync(process.argv[2]))
const repo = await Repo.load(new MemoryBlockstore(blocks), root)
for await (const { collection, rkey, cid, record } of repo.walkRecords()) {
  const line = { uri: `at://${repo.did}/${collection}/${rkey}`, cid: cid.toString(), value: lexToJson(record) }
  process.stdout.write(JSON.stringify(line) + '\n')
}
