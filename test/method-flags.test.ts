/** The method flags shared by explain, compare and evaluate-methods: which options they set, and when a flag's default counts. */
import test from 'ava'
import { Command } from 'commander'
import { addMethodOptions, methodOptions, type MethodFlags } from '../lib/cli/method-flags.js'
import { parseMethods, withMethodFlags } from '../lib/cli/method-list.js'

function parsed(args: string[]): { flags: MethodFlags; command: Command } {
  const command = addMethodOptions(new Command('test').exitOverride())
  command.parse(args, { from: 'user' })
  return { flags: command.opts<MethodFlags>(), command }
}

test('without onlyGiven every flag counts, defaults included (explain)', (t) => {
  const { flags } = parsed(['--seed', '5'])
  t.deepEqual(methodOptions(flags), {
    rule: 'all',
    eps: 0.001,
    biasFactor: 0,
    init: 'logit',
    occlusion: { score: 'logit', replacement: 'zero' },
    cd: { convention: 'reference' },
    integratedGradients: { steps: 64, rule: 'midpoint' },
    seed: 5,
    smoothgrad: { over: 'gradient' },
  })
})

test('with onlyGiven only the flags on the command line count, each method option in its object', (t) => {
  const { flags, command } = parsed(['--eps', '0.01', '--occlusion-score', 'prob', '--samples', '64', '--shapley-samples', 'exact', '--noise', '0.2', '--lime-ridge', '0.5', '--cd-phrase', '1,3'])
  t.deepEqual(methodOptions(flags, command), {
    eps: 0.01,
    occlusion: { score: 'prob' },
    cd: { phrase: [1, 3] },
    shapley: { samples: 'exact' },
    kernelShap: { samples: 64 },
    lime: { samples: 64, ridge: 0.5 },
    smoothgrad: { samples: 64, noise: 0.2 },
  })
  t.deepEqual(methodOptions(parsed([]).flags, parsed([]).command), {})
})

test('compared methods take the given flags, which replace a preset value and leave the rest of the preset', (t) => {
  const { flags, command } = parsed(['--eps', '0.5', '--occlusion-score', 'logit'])
  t.deepEqual(withMethodFlags(parseMethods('lrp-prop,occlusion-p-diff,shapley'), flags, command), [
    { name: 'lrp-prop', options: { preset: 'lrp-prop', eps: 0.5, occlusion: { score: 'logit' } } },
    { name: 'occlusion-p-diff', options: { preset: 'occlusion-p-diff', eps: 0.5, occlusion: { score: 'logit' } } },
    { name: 'shapley', options: { method: 'shapley', eps: 0.5, occlusion: { score: 'logit' } } },
  ])
})

test('a bad flag value is a one-line usage error naming the flag', (t) => {
  const { flags, command } = parsed(['--samples', 'many', '--seed', '1'])
  t.throws(() => methodOptions(flags, command), { message: /^--samples must be a whole decimal number; got 'many'$/ })
})
