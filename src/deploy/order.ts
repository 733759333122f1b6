/** The publish order of a plan: the one function `validate` uses too (`flow/algorithms`). */
export { publishSequence } from '../flow/algorithms/publish-sequence.js';
