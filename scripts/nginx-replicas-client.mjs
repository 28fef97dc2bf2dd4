// The HTTP side of scripts/nginx-replicas-test.sh: explain requests (SST test sentences) through
// nginx and to a replica directly. Prints one JSON line; exits 1 when the check fails.
//
//   node scripts/nginx-replicas-client.mjs compare NGINX_URL REPLICA_URL COUNT
//     every answer through nginx equals the replica's own answer, byte for byte
//   node scripts/nginx-replicas-client.mjs drain NGINX_URL COUNT PID AFTER
//     sends SIGTERM to PID after AFTER answers; every one of the COUNT requests must still get 200
//   node scripts/nginx-replicas-client.mjs served REPLICA_URL
//     how many explain requests the replica answered with 200 (its /metrics)
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'

const CONCURRENCY = 16

/** Request bodies from the SST test sentences: mostly single texts, every tenth a batch of three. */
function bodies(count) {
  const sentences = gunzipSync(readFileSync(new URL('../data/sst/test.txt.gz', import.meta.url)))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((tree) => [...tree.matchAll(/\(\d ([^()\s]+)\)/g)].map((leaf) => leaf[1]).join(' '))
  return Array.from({ length: count }, (_, k) => {
    const text = (offset) => sentences[(k + offset) % sentences.length]
    return JSON.stringify(k % 10 === 9 ? { items: [{ text: text(0) }, { text: text(1) }, { text: text(2) }] } : { text: text(0) })
  })
}

async function explain(url, body) {
  try {
    const response = await fetch(`${url}/v1/explain`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    return { status: response.status, text: await response.text() }
  } catch (error) {
    return { status: 0, text: String(error.cause ?? error) }
  }
}

/** Every body sent, CONCURRENCY at a time; onAnswer sees the number of answers so far. */
async function sendAll(url, all, onAnswer = () => {}) {
  const answers = new Array(all.length)
  let next = 0
  let answered = 0
  const worker = async () => {
    while (next < all.length) {
      const k = next++
      answers[k] = await explain(url, all[k])
      onAnswer(++answered)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return answers
}

function report(summary, passed) {
  console.log(JSON.stringify(summary))
  process.exitCode = passed ? 0 : 1
}

const [command, ...args] = process.argv.slice(2)
if (command === 'compare') {
  const [through, direct, count] = args
  const all = bodies(Number(count))
  const proxied = await sendAll(through, all)
  const own = await sendAll(direct, all)
  const differing = all.map((_, k) => k).filter((k) => proxied[k].status !== 200 || own[k].status !== 200 || proxied[k].text !== own[k].text)
  const first = differing[0]
  report({ requests: all.length, differing: differing.length, ...(first === undefined ? {} : { first: { body: all[first], nginx: proxied[first], replica: own[first] } }) }, differing.length === 0)
} else if (command === 'drain') {
  const [through, count, pid, after] = args
  let signalled = false
  const answers = await sendAll(through, bodies(Number(count)), (answered) => {
    if (!signalled && answered >= Number(after)) {
      signalled = true
      process.kill(Number(pid), 'SIGTERM')
    }
  })
  const statuses = {}
  for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1
  const failed = answers.find(({ status }) => status !== 200)
  report({ requests: answers.length, statuses, ...(failed === undefined ? {} : { firstFailure: failed }) }, signalled && failed === undefined)
} else if (command === 'served') {
  const [url] = args
  const metrics = await (await fetch(`${url}/metrics`)).text()
  const served = metrics
    .split('\n')
    .filter((line) => line.startsWith('lstm_lrp_http_requests_total{') && line.includes('route="/v1/explain"') && line.includes('status="200"'))
    .reduce((sum, line) => sum + Number(line.split(/\s+/).at(-1)), 0)
  report({ served }, served > 0)
} else {
  console.error(`unknown command '${command}': compare, drain or served`)
  process.exitCode = 2
}
