// The browser entry runs explainBatch on module Web Workers: in Chromium, the results equal the
// page's own explain() of each input bit for bit, and the page's main thread keeps running timers
// while the batch runs.
import test from 'ava'
import { repositoryInChromium } from '../helpers/repository-in-chromium.js'

const chromium = repositoryInChromium()

interface InPage {
  threads: number
  differences: string[]
  count: number
  batchMs: number
  ticks: number
  longestGapMs: number
}

test('in Chromium, explainBatch on 2 Web Workers equals explain() on the page bit for bit, and the main thread stays responsive', async (t) => {
  const page = await chromium.newPage()
  const result = (await page.evaluate(async () => {
    const api = await import(`${location.origin}/dist/browser.js`)
    const { defaultModelUrl } = await import(`${location.origin}/dist/model/default-model-url.js`)
    const model = await api.loadModel(defaultModelUrl(), { threads: 2 })
    // One kernel call (fewer than 512 sequences and 8192 steps) long enough to see timers run during it.
    const items = Array.from({ length: 160 }, (_, n) => ({ tokens: Array.from({ length: 4 + (n % 30) }, (_, k) => (n * 31 + k * 7) % 5000) }))
    const options = { method: 'integrated-gradients', integratedGradients: { steps: 48 }, target: 1 }
    await model.explainBatch(items.slice(0, 4), options)
    const ticks: number[] = []
    const timer = setInterval(() => ticks.push(performance.now()), 2)
    const start = performance.now()
    const batch = await model.explainBatch(items, options)
    const end = performance.now()
    clearInterval(timer)
    const marks = [start, ...ticks.filter((time) => time >= start && time <= end), end]
    const longestGapMs = Math.max(...marks.slice(1).map((time, k) => time - marks[k]))
    const differences: string[] = []
    items.forEach((item, n) => {
      const alone = model.explain(item, options)
      for (const key of ['scores', 'relevance', 'perStep']) {
        const [a, b] = [batch[n][key] as ArrayLike<number>, alone[key] as ArrayLike<number>]
        if (a.length !== b.length || Array.from(a).some((value, k) => !Object.is(value, b[k]))) differences.push(`item ${n}: ${key}`)
      }
      if (JSON.stringify(batch[n].completeness) !== JSON.stringify(alone.completeness)) differences.push(`item ${n}: completeness`)
    })
    const threads = model.backend.threads
    model.dispose()
    return { threads, differences, count: batch.length, batchMs: end - start, ticks: marks.length - 2, longestGapMs }
  })) as InPage
  await page.close()
  t.log(`batch ${result.batchMs.toFixed(0)} ms, ${result.ticks} timer ticks during it, longest gap ${result.longestGapMs.toFixed(1)} ms`)
  t.is(result.threads, 2)
  t.is(result.count, 160)
  t.deepEqual(result.differences, [])
  // On the page's thread the single kernel call would hold it for the whole batch.
  t.true(result.batchMs > 100, `the batch is long enough to measure (${result.batchMs} ms)`)
  t.true(result.longestGapMs < result.batchMs / 4, `longest gap between timer ticks ${result.longestGapMs} ms of ${result.batchMs} ms`)
})

test('in Chromium, explainEach on 2 Web Workers gives explainBatch’s explanations in order, and empties the arrays it lent', async (t) => {
  const page = await chromium.newPage()
  const result = (await page.evaluate(async () => {
    const api = await import(`${location.origin}/dist/browser.js`)
    const { defaultModelUrl } = await import(`${location.origin}/dist/model/default-model-url.js`)
    const model = await api.loadModel(defaultModelUrl(), { threads: 2 })
    const items = Array.from({ length: 3000 }, (_, n) => ({ tokens: Array.from({ length: 2 + (n % 25) }, (_, k) => (n * 17 + k * 11) % 5000) }))
    const batch = await model.explainBatch(items)
    const differences: string[] = []
    const kept: { relevance: Float32Array }[] = []
    let count = 0
    for (let round = 0; round < 2; round++)
      await model.explainEach(items, {}, (explanation: Record<string, ArrayLike<number>>, index: number) => {
        count++
        for (const key of ['scores', 'relevance', 'perStep']) {
          const [a, b] = [explanation[key], batch[index][key] as ArrayLike<number>]
          if (a.length !== b.length || Array.from(a).some((value, k) => !Object.is(value, b[k]))) differences.push(`round ${round}, item ${index}: ${key}`)
        }
        if (index % 1000 === 0) kept.push(explanation as unknown as { relevance: Float32Array })
      })
    model.dispose()
    return { differences, count, keptLengths: kept.map((explanation) => explanation.relevance.length) }
  })) as { differences: string[]; count: number; keptLengths: number[] }
  await page.close()
  t.deepEqual(result.differences, [])
  t.is(result.count, 6000)
  t.deepEqual(result.keptLengths, [0, 0, 0, 0, 0, 0])
})
