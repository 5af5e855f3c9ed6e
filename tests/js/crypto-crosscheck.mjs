// Cross-checks RecordKv's crypto against Bluesky's @atproto/crypto.
// Reads a JSON array of requests on stdin and writes a JSON array of answers to stdout:
//   {"op":"sign","alg":"ES256K"|"ES256","privateKeyHex":"..","messageBase64":".."} -> {"didKey":"..","signatureBase64":".."}
//   {"op":"verify","didKey":"..","messageBase64":"..","signatureBase64":".."}      -> {"valid":true|false}
//   {"op":"didDoc","document":{...}}  -> {"did":"..","signingKey":"did:key:..","handle":"..","pds":".."} (@atproto/identity)
import { Secp256k1Keypair, P256Keypair, verifySignature } from '@atproto/crypto'
import { parseToAtprotoDocument } from '@atproto/identity'

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const requests = JSON.parse(Buffer.concat(chunks).toString('utf8'))

const answers = []
for (const request of requests) {
  if (request.op === 'didDoc') {
    answers.push(parseToAtprotoDocument(request.document))
    continue
  }
  const message = Buffer.from(request.messageBase64, 'base64')
  if (request.op === 'sign') {
    const keypairType = request.alg === 'ES256K' ? Secp256k1Keypair : P256Keypair
    const keypair = await keypairType.import(request.privateKeyHex)
    const signature = await keypair.sign(message)
    answers.push({ didKey: keypair.did(), signatureBase64: Buffer.from(signature).toString('base64') })
  } else if (request.op === 'verify') {
    const signature = Buffer.from(request.signatureBase64, 'base64')
    answers.push({ valid: await verifySignature(request.didKey, message, signature) })
  } else {
    throw new Error(`unknown op ${request.op}`)
  }
}
process.stdout.write(JSON.stringify(answers))
