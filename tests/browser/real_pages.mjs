// Helpers of real_run.sh over the files of a real run (results JSON, known-failures list, JUnit).
//   node real_pages.mjs expected OUT_DIR TLS.json CLEAR.json LIST
//     writes OUT_DIR/expected.json for check_pages.mjs: the TLS report's cases, its regressions
//     against LIST (failing cases LIST leaves out), and both runs as the matrix's targets.
//   node real_pages.mjs junit REPORT.xml TLS.json LIST REGRESSIONS
//     checks that REPORT.xml (rendered against LIST) has one testcase per case, exactly
//     REGRESSIONS <failure>/<error> elements, each a regression of a case LIST leaves out, and
//     every listed failure as <skipped type="known_failure">.
// Exit: 0, 1 when a check fails or a file cannot be read, 64 usage.
import fs from 'node:fs';
import path from 'node:path';

const failing = new Set(['fail', 'error', 'target_down']);
const usage = () => {
  console.error('usage: real_pages.mjs expected OUT_DIR TLS.json CLEAR.json LIST\n' +
                '       real_pages.mjs junit REPORT.xml TLS.json LIST REGRESSIONS');
  process.exit(64);
};
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

// The ids of a known-failures list (reports/baseline.h): one per line, an optional tab and
// verdict, '#' comments, blank lines.
function listedIds(file) {
  return new Set(fs.readFileSync(file, 'utf8').split('\n')
    .map((line) => line.replace(/#.*/, '').split('\t')[0].trim()).filter((id) => id !== ''));
}

// Failing cases of the run that the list leaves out: the regressions the report must show.
function regressedIds(run, listFile) {
  const listed = listedIds(listFile);
  return run.cases.filter((c) => failing.has(c.verdict) && !listed.has(c.id)).map((c) => c.id);
}

function describe(run) {
  return {
    target: run.target,
    cases: run.cases.map((c) => ({
      id: c.id, verdict: c.verdict, section: c.section,
      transcript: c.transcript.length, raw: c.transcript.filter((e) => e.raw_hex).length,
    })),
  };
}

function writeExpected(outDir, tlsFile, clearFile, listFile) {
  const tls = readJson(tlsFile);
  const regressed = regressedIds(tls, listFile);
  const expected = { report: describe(tls), regressions: regressed.length, regressed,
                     matrix: [describe(tls), describe(readJson(clearFile))] };
  fs.writeFileSync(path.join(outDir, 'expected.json'), JSON.stringify(expected, null, 2));
  return true;
}

const unescapeXml = (s) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<')
  .replace(/&gt;/g, '>').replace(/&amp;/g, '&');

// Each <testcase>: its name, its <failure>/<error> messages and whether it is a known failure.
function testcases(xml) {
  const found = [];
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = m[2] || '';
    found.push({
      name: unescapeXml((m[1].match(/\bname="([^"]*)"/) || [])[1] || ''),
      problems: Array.from(body.matchAll(/<(?:failure|error)\b[^>]*?\bmessage="([^"]*)"/g), (p) => unescapeXml(p[1])),
      known: /<skipped\b[^>]*\btype="known_failure"/.test(body),
    });
  }
  return found;
}

function checkJunit(xmlFile, tlsFile, listFile, regressions) {
  const run = readJson(tlsFile);
  const regressed = new Set(regressedIds(run, listFile));
  const cases = testcases(fs.readFileSync(xmlFile, 'utf8'));
  const byName = new Map(cases.map((c) => [c.name, c]));
  const problems = cases.flatMap((c) => c.problems.map((message) => ({ name: c.name, message })));
  const errors = [];
  if (cases.length !== run.cases.length) errors.push(`${cases.length} testcases for ${run.cases.length} cases`);
  if (regressed.size !== regressions) errors.push(`${regressed.size} regressions, expected ${regressions}`);
  if (problems.length !== regressed.size) errors.push(`${problems.length} <failure>/<error> elements`);
  for (const p of problems) {
    if (!regressed.has(p.name) || !p.message.startsWith('regression')) {
      errors.push(`${p.name}: "${p.message.slice(0, 80)}" is not the regression of a case the list leaves out`);
    }
  }
  for (const c of run.cases.filter((k) => failing.has(k.verdict) && !regressed.has(k.id))) {
    const tc = byName.get(c.id);
    if (!tc || !tc.known || tc.problems.length > 0) errors.push(`${c.id}: not skipped as a known failure`);
  }
  const known = cases.filter((c) => c.known).length;
  const listedFailing = run.cases.filter((k) => failing.has(k.verdict)).length - regressed.size;
  if (known !== listedFailing) errors.push(`${known} known failures, expected ${listedFailing}`);
  errors.forEach((e) => console.error(`${path.basename(xmlFile)}: ${e}`));
  if (errors.length === 0) {
    console.log(`${path.basename(xmlFile)}: ${problems.length} regression(s), ${known} known failures`);
  }
  return errors.length === 0;
}

const [mode, ...args] = process.argv.slice(2);
let ok;
try {
  if (mode === 'expected' && args.length === 4) ok = writeExpected(...args);
  else if (mode === 'junit' && args.length === 4) ok = checkJunit(args[0], args[1], args[2], Number(args[3]));
  else usage();
} catch (e) {
  console.error(`real_pages.mjs ${mode}: ${e.message}`);
  ok = false;
}
process.exit(ok ? 0 : 1);
