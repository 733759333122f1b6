/** Child process: writes one generated graph-JSON file (kept out of the measuring parent's heap). */
import { writeFileSync } from 'node:fs';
import { generate } from './shapes.js';

const [shape, n, file] = process.argv.slice(2);
const g = generate(shape!, Number(n));
writeFileSync(file!, g.text);
process.stdout.write(JSON.stringify({ nodes: g.nodes, edges: g.edges, mb: g.text.length / 1e6 }));
