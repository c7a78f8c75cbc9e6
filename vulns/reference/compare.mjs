// The verdict of @secvisogram/csaf-validator-lib (the CSAF 2.0 strict schema and every
// mandatory test) on each *.json file of the folders given: one JSON line per file,
// {"file": name, "valid": bool, "failed": [test names]}. vulns/csaf_test.cc compares them with
// vulns::ParseCsaf's.
import fs from 'node:fs'
import path from 'node:path'
import validateStrict from '@secvisogram/csaf-validator-lib/validateStrict.js'
import * as mandatory from '@secvisogram/csaf-validator-lib/mandatoryTests.js'
import { csaf_2_0_strict } from '@secvisogram/csaf-validator-lib/schemaTests.js'

const tests = [csaf_2_0_strict, ...Object.values(mandatory)]
for (const dir of process.argv.slice(2)) {
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const document = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'))
    const result = await validateStrict(tests, document)
    const failed = result.tests.filter((t) => !t.isValid).map((t) => t.name)
    console.log(JSON.stringify({ file: name, valid: result.isValid, failed }))
  }
}
