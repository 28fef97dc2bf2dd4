/** Table 11.2 of the paper, transcribed: mean (standard deviation) in % over 50 models. */
import type { ArithmeticTask } from './tasks.js'

export interface PaperRow {
  rhoA: [mean: number, std: number]
  rhoB: [mean: number, std: number]
  share: [mean: number, std: number]
}

export const PAPER_TABLE_11_2: Record<ArithmeticTask, Record<string, PaperRow>> = {
  addition: {
    'Gradient × Input': { rhoA: [99.96, 0.017], rhoB: [99.954, 0.019], share: [99.68, 0.53] },
    'Occlusion f-diff': { rhoA: [99.99, 0.004], rhoB: [99.99, 0.004], share: [99.82, 0.27] },
    'LRP-prop': { rhoA: [0.785, 3.619], rhoB: [10.111, 12.362], share: [18.14, 4.23] },
    'LRP-abs': { rhoA: [7.002, 6.224], rhoB: [12.41, 17.44], share: [18.01, 4.48] },
    'LRP-half': { rhoA: [29.035, 9.478], rhoB: [51.46, 19.939], share: [54.09, 17.53] },
    'LRP-all': { rhoA: [99.995, 0.002], rhoB: [99.995, 0.002], share: [99.95, 0.05] },
    CD: { rhoA: [99.997, 0.002], rhoB: [99.997, 0.002], share: [99.92, 0.06] },
  },
  subtraction: {
    'Gradient × Input': { rhoA: [97.9, 1.6], rhoB: [-98.8, 0.6], share: [98.3, 0.6] },
    'Occlusion f-diff': { rhoA: [99.0, 2.0], rhoB: [-69.0, 19.1], share: [25.4, 16.8] },
    'LRP-prop': { rhoA: [3.1, 4.8], rhoB: [-8.4, 18.9], share: [15.0, 2.4] },
    'LRP-abs': { rhoA: [1.2, 7.6], rhoB: [-23.0, 11.1], share: [15.1, 1.6] },
    'LRP-half': { rhoA: [7.7, 15.3], rhoB: [-28.9, 6.4], share: [42.3, 8.3] },
    'LRP-all': { rhoA: [98.5, 3.5], rhoB: [-99.3, 1.3], share: [99.3, 0.6] },
    CD: { rhoA: [-25.9, 39.1], rhoB: [-50.0, 29.2], share: [49.4, 26.1] },
  },
}
