// lstm_lrp_event_loop_delay_seconds is the delay itself: an idle server reads close to 0, not the
// monitor's 10 ms sampling interval (which the raw histogram includes in every sample).
import test from 'ava'
import { get, startServer } from './helpers/serve.js'

function delay(metrics: string, quantile: string): number {
  const line = metrics.split('\n').find((row) => row.startsWith(`lstm_lrp_event_loop_delay_seconds{quantile="${quantile}"} `))
  return line === undefined ? Number.NaN : Number(line.split(' ')[1])
}

test('the event-loop delay of an idle server is well under the 10 ms sampling interval', async (t) => {
  const server = await startServer(['--model', 'examples/toy-addition.safetensors'])
  try {
    // A scrape starts a new measurement; the server then idles for half a second (about 50 samples).
    await get(server.url, '/metrics')
    await new Promise((resolve) => setTimeout(resolve, 500))
    const median = delay((await get(server.url, '/metrics')).text, '0.5')
    t.true(median >= 0 && median < 0.008, `median delay ${median} s`)
  } finally {
    await server.stop()
  }
})
