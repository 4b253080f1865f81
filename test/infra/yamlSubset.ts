/**
 * Reads the YAML azure.yaml is written in: block mappings of plain or quoted scalars, `#` comments. Anything
 * else (lists, flow collections, multi-line scalars, anchors) throws, so a richer azure.yaml fails the test
 * until this reader is extended — it never reads it wrongly. No YAML package is a declared dependency.
 */
type Node = string | boolean | { [key: string]: Node };

export function parseYamlSubset(text: string): { [key: string]: Node } {
  const root: { [key: string]: Node } = {};
  const stack: Array<{ indent: number; node: { [key: string]: Node } }> = [{ indent: -1, node: root }];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
    if (!line.trim()) return;
    const m = /^( *)([A-Za-z0-9_.-]+):(?: (.*))?$/.exec(line);
    if (!m || /^[[{&*!|>-]/.test(m[3] ?? ''))
      throw new Error(`azure.yaml line ${i + 1}: not in the supported YAML subset`);
    const indent = m[1]!.length;
    while (stack.at(-1)!.indent >= indent) stack.pop();
    const parent = stack.at(-1)!.node;
    if (m[2]! in parent) throw new Error(`azure.yaml line ${i + 1}: duplicate key ${m[2]}`);
    if (m[3] === undefined) {
      const child: { [key: string]: Node } = {};
      parent[m[2]!] = child;
      stack.push({ indent, node: child });
    } else {
      const v = m[3].trim();
      parent[m[2]!] = v === 'true' ? true : v === 'false' ? false : v.replace(/^(['"])(.*)\1$/, '$2');
    }
  });
  return root;
}
