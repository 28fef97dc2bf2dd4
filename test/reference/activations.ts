// The logistic function every reference module shares.
export const sigmoid = (a: number): number => 1 / (1 + Math.exp(-a))
