// Cross-checks RecordKv's DAG-CBOR and atproto JSON conversion against Bluesky's @atproto/lex-cbor and @atproto/lex-json.
// Reads a JSON array of requests on stdin and writes a JSON array of answers to stdout:
//   {"op":"encode","json":"<atproto JSON text>"} -> {"cborBase64":"..","cid":".."}
//   {"op":"decode","cborBase64":".."}            -> {"json":"<atproto JSON text>"}
import { cborEncode, cborDecode, cidForLex } from '@atproto/lex-cbor'
import { lexParse, lexStringify } from '@atproto/lex-json'

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const requests = JSON.parse(Buffer.concat(chunks).toString('utf8'))

const answers = []
for (const request of requests) {
  if (request.op === 'encode') {
    const value = lexParse(request.json)
    const bytes = cborEncode(value)
    const cid = await cidForLex(value)
    answers.push({ cborBase64: Buffer.from(bytes).toString('base64'), cid: cid.toString() })
  } else if (request.op === 'decode') {
    const value = cborDecode(Buffer.from(request.cborBase64, 'base64'))
    answers.push({ json: lexStringify(value) })
  } else {
    throw new Error(`unknown op ${request.op}`)
  }
}
process.stdout.write(JSON.stringify(answers))
