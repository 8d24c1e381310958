// Lists the functions in src/ longer than a limit (default 80 lines), longest first:
// `node scripts/long-functions.mjs [LIMIT]`. test/unit/function-length.test.ts holds src/ to it.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** [lines, "file:line", name] for each function, method, arrow or constructor over `limit` lines. */
export function longFunctions(limit = 80) {
  const files = execFileSync('git', ['ls-files', 'src/**/*.ts', 'src/**/*.tsx'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .filter(Boolean)
  const found = []
  for (const file of files) {
    const source = ts.createSourceFile(
      file,
      readFileSync(join(ROOT, file), 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    )
    const visit = (node) => {
      if (
        ts.isFunctionDeclaration(node) ||
        ts.isMethodDeclaration(node) ||
        ts.isArrowFunction(node) ||
        ts.isFunctionExpression(node) ||
        ts.isConstructorDeclaration(node)
      ) {
        const from = source.getLineAndCharacterOfPosition(node.getStart()).line
        const to = source.getLineAndCharacterOfPosition(node.getEnd()).line
        if (to - from > limit)
          found.push([to - from, `${file}:${from + 1}`, node.name?.getText() ?? '(anonymous)'])
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return found.sort((a, b) => b[0] - a[0])
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = longFunctions(Number(process.argv[2] ?? 80))
  for (const [lines, where, name] of found) console.log(`${lines}  ${where}  ${name}`)
  if (found.length === 0) console.log('none')
}
