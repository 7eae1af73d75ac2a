export { MT19937 } from './mt19937.js';
export { PythonRandom } from './python-random.js';
