/**
 * lstm-lrp/reproduce: the experiments of the paper's Sec. 11.5 (docs/REPRODUCTION.md), each a run
 * that returns its numbers and the tables and SVG figures made from them. Its own entry point, so
 * that the main entry never loads it.
 */
export { runFidelity, FIDELITY_METHODS, TASKS, type FidelitySettings, type FidelityResult, type TaskResult, type MethodResult } from './fidelity/run.js'
export { fidelityFigure, fidelityTable } from './fidelity/report.js'
export { PAPER_TABLE_11_2, type PaperRow } from './fidelity/paper.js'
export type { ArithmeticTask } from './fidelity/tasks.js'
export { runSelectivity, SELECTIVITY_EPS, PROP_PRODUCT_EPS, SELECTIVITY_METHODS, type SelectivitySettings, type SelectivityResult } from './selectivity/run.js'
export { selectivityFigure, selectivityTable } from './selectivity/report.js'
export { runRewardRedistribution, REWARD_RULES, type RewardSettings, type RewardResult, type RuleShares, type ExampleEpisode } from './reward/run.js'
export { episodeFigure, rewardTable, sharesFigure } from './reward/figures.js'
export { defaultSstDir, readSstTrees, sentences, uniquePhrases, SST_LABELS, type SstSplit } from './sst/data.js'
export type { LabelledPhrase } from '../text/sst-tree.js'
export { trainSstModel, SST_TRAIN_DEFAULTS, type SstTrainSettings, type SstTrainResult } from './sst/train.js'
export { sstAccuracy, type SstAccuracy } from './sst/accuracy.js'
export { compactJson, writeExperiment, type ExperimentFiles } from './output.js'
export type { NamedMethod } from './methods.js'
export type { ExperimentReporter } from './reporter.js'
