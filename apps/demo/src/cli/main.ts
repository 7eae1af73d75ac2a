import { readmeExample } from './readme-example.js';

const { g, aGrad, bGrad } = readmeExample();
console.log(`g.data ${g.toFixed(4)}\na.grad ${aGrad.toFixed(4)}\nb.grad ${bGrad.toFixed(4)}`);
