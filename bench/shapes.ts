/**
 * Generators of graph-JSON flows for the benchmarks, in five shapes:
 * - `tree`: menu trees (each menu has 3 choices; leaves disconnect);
 * - `dag`: DAGs whose branches re-join (every node has 3 edges forward);
 * - `retry`: realistic retry loops (a chain of steps, each with a retry edge back and an exit);
 * - `dense`: densely inter-linked menus (3 random edges per node to any node: the number of
 *   distinct cycles is exponential);
 * - `parts`: several disconnected parts (20 independent DAGs).
 */
import { mulberry32 } from '../src/emulator/random.js';

/** A graph-JSON document as text, built without materialising node objects. */
export function generate(shape: string, n: number, seed = 1): { text: string; nodes: number; edges: number } {
  const rnd = mulberry32(seed);
  const nodes: string[] = [];
  const edges: string[] = [];
  const node = (i: number, type: string) => nodes.push(`{"id":"n${i}","type":"${type}","name":"Node ${i}"}`);
  const edge = (a: number, b: number) => edges.push(`{"source":"n${a}","target":"n${b}"}`);
  switch (shape) {
    case 'tree':
      for (let i = 0; i < n; i++) {
        const leaf = 3 * i + 1 >= n;
        node(i, leaf ? 'disconnect' : 'menu');
        for (let k = 1; k <= 3; k++) if (3 * i + k < n) edge(i, 3 * i + k);
      }
      break;
    case 'dag':
      for (let i = 0; i < n; i++) {
        node(i, i === n - 1 ? 'disconnect' : 'action');
        if (i < n - 1) {
          edge(i, i + 1);
          for (let k = 0; k < 2; k++) edge(i, i + 1 + Math.floor(rnd() * Math.min(50, n - i - 1)));
        }
      }
      break;
    case 'retry':
      for (let i = 0; i < n; i++) {
        node(i, i === n - 1 ? 'disconnect' : i % 10 === 9 ? 'transferToAcd' : 'callData');
        if (i < n - 1) edge(i, i + 1);
        if (i % 10 === 5) edge(i, i - 4);
        if (i % 10 === 9 && i + 1 < n) edge(i, n - 1);
      }
      break;
    case 'dense':
      for (let i = 0; i < n; i++) {
        node(i, i % 100 === 99 ? 'disconnect' : 'menu');
        edge(i, (i + 1) % n);
        for (let k = 0; k < 2; k++) edge(i, Math.floor(rnd() * n));
      }
      break;
    case 'parts': {
      const parts = 20;
      const size = Math.ceil(n / parts);
      for (let i = 0; i < n; i++) {
        node(i, (i + 1) % size === 0 || i === n - 1 ? 'disconnect' : 'action');
        const end = Math.min(n, (Math.floor(i / size) + 1) * size);
        if (i + 1 < end) {
          edge(i, i + 1);
          for (let k = 0; k < 2; k++) edge(i, i + 1 + Math.floor(rnd() * Math.min(50, end - i - 1)));
        }
      }
      break;
    }
    default:
      throw new Error(`unknown shape ${shape}`);
  }
  const text = `{"start":"n0","nodes":[${nodes.join(',')}],"edges":[${edges.join(',')}]}`;
  return { text, nodes: nodes.length, edges: edges.length };
}

/** A large Archy YAML: one inbound call flow with `tasks` tasks of `actions` actions each, chained by jumps. */
export function generateArchy(tasks: number, actions: number): string {
  let y = 'inboundCall:\n  name: Big Flow\n  startUpRef: ./tasks/task[t0]\n  tasks:\n';
  for (let t = 0; t < tasks; t++) {
    y += `    - task:\n        name: Task ${t}\n        refId: t${t}\n        actions:\n`;
    for (let a = 0; a < actions; a++) {
      y += `          - decision:\n              name: Check ${t}.${a}\n              condition:\n                exp: Flow.x == ${a}\n              outputs:\n                yes:\n                  actions:\n                    - playAudio:\n                        name: Say ${a}\n                        audio:\n                          tts: Step ${a}\n`;
    }
    y +=
      t + 1 < tasks
        ? `          - jumpToTask:\n              name: Next\n              targetTaskRef: ./tasks/task[t${t + 1}]\n`
        : '          - disconnect:\n              name: Bye\n';
  }
  return y;
}
