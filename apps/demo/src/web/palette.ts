// Class 0 orange, class 1 blue, as TensorFlow Playground colours them; distinguishable with
// the common colour-vision deficiencies.
export const CLASS_RGB = [
  [232, 128, 20],
  [16, 110, 190],
] as const;

export const css = ([r, g, b]: readonly [number, number, number] | readonly number[]): string => `rgb(${r} ${g} ${b})`;
