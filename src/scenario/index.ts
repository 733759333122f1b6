/**
 * `flowgate test`: call-path scenarios in YAML, run by an interpreter over Archy flows, offline
 * (docs/scenarios.md).
 */
export {
  runScenarioFiles,
  findScenarioFiles,
  type TestReport,
  type ScenarioFileReport,
  type CaseReport,
} from './suite.js';
export { runCase, type CaseResult } from './run-case.js';
export { flowSourceFromText, type FlowSource } from './flow-source.js';
export { formatText, formatJunit } from './report.js';
export { ScenarioSchema, type ScenarioFile, type ScenarioCase } from './schema.js';
export { coverageOf, universeOf, type FlowCoverage, type CoverageItem } from './coverage.js';
