// Fig. 11.6–11.7 in small (one model): the grid world follows its documented rules, and LRP-all gives
// the Moneybag step almost no relevance while LRP-prop and LRP-half give it a clear share.
import test from 'ava'
import { seededRandom } from '../lib/train/random.js'
import { EPISODE_STEPS, episodes, GRID_CELLS, playEpisode } from '../lib/reproduce/reward/grid-world.js'
import { runRewardRedistribution } from '../lib/reproduce/reward/run.js'
import { episodeFigure, rewardTable, sharesFigure } from '../lib/reproduce/reward/figures.js'

test('episodes: four binary features per step, one action each, the return counts only Coins after the Moneybag', (t) => {
  for (const episode of episodes(300, 5)) {
    t.is(episode.input.length, EPISODE_STEPS)
    t.true(episode.input.every((row) => row.length === 4 && row.every((value) => value === 0 || value === 1) && row[2] + row[3] === 1))
    const moneybagSteps = episode.input.flatMap((row, step) => (row[0] === 1 ? [step] : []))
    t.deepEqual(moneybagSteps, episode.moneybagStep === null ? [] : [episode.moneybagStep])
    const coinSteps = episode.input.flatMap((row, step) => (row[1] === 1 ? [step] : []))
    t.deepEqual(
      coinSteps,
      episode.coins.map((coin) => coin.step),
    )
    const counted = coinSteps.filter((step) => episode.moneybagStep !== null && step > episode.moneybagStep)
    t.is(episode.target, counted.length)
  }
})

test('the good policy collects the Moneybag and then a Coin every second step', (t) => {
  const episode = playEpisode(seededRandom(3), 0)
  t.not(episode.moneybagStep, null)
  const after = EPISODE_STEPS - 1 - episode.moneybagStep!
  // From the leftmost cell the Coin cell is GRID_CELLS − 1 moves away, then one Coin per two moves.
  t.is(episode.target, 1 + Math.floor((after - (GRID_CELLS - 1)) / 2))
  t.true(episode.coins.every((coin) => coin.counted))
})

test('one markov LSTM: LRP-all misses the Moneybag, LRP-prop and LRP-half detect it', async (t) => {
  const result = await runRewardRedistribution({ models: 1, seed: 1, episodes: { train: 4000, validation: 1000, test: 500 } })
  t.log(rewardTable(result))
  t.true(result.validationMse.mean < 2e-3, `validation MSE ${result.validationMse.mean}`)
  const share = (rule: string) => result.shares[rule].moneybag.mean
  t.true(share('LRP-all') < 0.06, `LRP-all Moneybag share ${share('LRP-all')}`)
  t.true(share('LRP-prop') > 0.1, `LRP-prop Moneybag share ${share('LRP-prop')}`)
  t.true(share('LRP-half') > 0.1, `LRP-half Moneybag share ${share('LRP-half')}`)
  t.true(result.shares['LRP-all'].countedCoins.mean > 0.8, 'LRP-all puts the return on the counted Coins')
  t.true(Math.abs(result.shares['LRP-all'].redistributed.mean - 1) < 0.01, 'LRP-all (biasFactor 1, no gates) redistributes the whole prediction')
  t.regex(episodeFigure(result.examples.moneybag, 'x'), /^<svg[\s\S]*LRP-half[\s\S]*<\/svg>\n$/)
  t.regex(sharesFigure(result), /Moneybag step/)
})
