/*
 * The GitHub side of the project, checked offline: projen's workflows (build, release,
 * upgrade-main, pull-request-lint) and action.yml against GitHub's schemas (SchemaStore, through
 * action-validator compiled to WebAssembly), what each workflow runs, the secrets they read against
 * CONTRIBUTING.md, and the issue forms and pull-request template. The workflows themselves are
 * generated from .projenrc.ts; .ci/run fails when `npx projen` changes them.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const read = (...p: string[]) => fs.readFileSync(path.join(ROOT, ...p), 'utf8');
const workflow = (name: string) => parse(read('.github', 'workflows', `${name}.yml`));
const runs = (job: any): string[] => job.steps.map((s: any) => s.run).filter((r: unknown) => typeof r === 'string');

test('every workflow and action.yml pass GitHub\'s schemas (the validator rejects a broken one, offline)', () => {
  const files = fs.readdirSync(WORKFLOWS).sort();
  expect(files).toEqual(['build.yml', 'pull-request-lint.yml', 'release.yml', 'upgrade-main.yml']);
  for (const f of files) {
    expect({ file: f, errors: validateWorkflow(fs.readFileSync(path.join(WORKFLOWS, f), 'utf8')).errors }).toEqual({ file: f, errors: [] });
  }
  expect(validateAction(read('action.yml')).errors).toEqual([]);
  // the validator is not a yes-man: an unknown job key and a step without uses or run fail
  const broken = validateWorkflow('on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    stepz: []\n');
  expect(broken.errors.length).toBeGreaterThan(0);
  expect(JSON.stringify(broken.errors)).toContain('stepz');
});

test('build: every pull request runs the build, the checks .ci/run adds, and the five languages\' packages', () => {
  const build = workflow('build');
  expect(Object.keys(build.on)).toEqual(['pull_request', 'workflow_dispatch']);
  const steps = runs(build.jobs.build);
  const at = (cmd: string) => steps.indexOf(cmd);
  expect(at('npx projen build')).toBeGreaterThan(-1);
  // after the build, before the mutation check: the plugin and the pre-commit hook end to end, the README's example
  expect(at('npx projen test:plugin-e2e')).toBeGreaterThan(at('npx projen build'));
  expect(at('npx projen test:pre-commit-e2e')).toBeGreaterThan(at('npx projen test:plugin-e2e'));
  expect(at('npx projen synth:example')).toBeGreaterThan(at('npx projen test:pre-commit-e2e'));
  expect(steps.findIndex((r) => r.includes('git diff --staged --patch --exit-code'))).toBeGreaterThan(at('npx projen synth:example'));
  // the build compiles right after installing: npm's prepare does not compile first (the pre-commit e2e removes it)
  expect(build.jobs.build.env).toEqual({ CI: 'true', CDK8S_KUMA_SKIP_PREPARE: '1' });
  expect(workflow('release').jobs.release.env).toEqual({ CI: 'true', CDK8S_KUMA_SKIP_PREPARE: '1' });
  for (const lang of ['js', 'java', 'python', 'dotnet', 'go']) {
    expect(runs(build.jobs[`package-${lang}`])).toContain(`cd .repo && npx projen package:${lang}`);
  }
  // the workflows build on a maintained Node.js line; the package's floor stays what engines says
  const nodes = new Set<string>();
  for (const name of ['build', 'release', 'upgrade-main']) {
    for (const job of Object.values<any>(workflow(name).jobs)) {
      for (const s of job.steps) if (String(s.uses ?? '').startsWith('actions/setup-node')) nodes.add(s.with['node-version']);
    }
  }
  expect([...nodes]).toEqual(['24.x']);
});

test('release: on main, versions from conventional commits, then npm, PyPI, Maven Central, NuGet and the Go module repository', () => {
  const release = workflow('release');
  expect(release.on.push.branches).toEqual(['main']);
  expect(runs(release.jobs.release)).toContain('npx projen release');
  expect(Object.keys(release.jobs).sort()).toEqual(['release', 'release_github', 'release_golang', 'release_maven', 'release_npm', 'release_nuget', 'release_pypi']);
  const publib = Object.fromEntries(Object.entries<any>(release.jobs).filter(([k]) => k.startsWith('release_') && k !== 'release_github')
    .map(([k, job]) => [k, runs(job).find((r) => r.includes('publib'))]));
  expect(publib).toEqual({
    release_npm: "npx '-p' 'publib@latest' 'publib-npm'",
    release_maven: "npx '-p' 'publib@latest' 'publib-maven'",
    release_pypi: "npx '-p' 'publib@latest' 'publib-pypi'",
    release_nuget: "npx '-p' 'publib@latest' 'publib-nuget'",
    release_golang: "npx '-p' 'publib@latest' 'publib-golang'",
  });
  // the GitHub release carries the release's changelog
  expect(JSON.stringify(release.jobs.release_github)).toContain('dist/changelog.md');

  // projen's bump: releasable commits are feat, fix, perf and revert; the first release is 0.1.0, not package.json's 0.0.0
  const tasks = JSON.parse(read('.projen', 'tasks.json')).tasks;
  expect(tasks['bump:releasable-commits'].steps[0].exec).toContain("--grep '^(feat|fix|perf|revert){1}");
  expect(tasks.bump.steps.find((s: any) => s.spawn === 'bump:next-version')).toEqual({ spawn: 'bump:next-version', outputEnv: 'BUMP_TYPE' });
  expect(tasks['bump:next-version'].steps).toEqual([{ exec: 'node -e "process.env.LATEST_TAG || process.stdout.write(\'0.1.0\')"' }]);
  // (the release task's own build runs with the bumped version: RELEASE=true)
  if (process.env.RELEASE !== 'true') expect(JSON.parse(read('package.json')).version).toBe('0.0.0');
  expect(tasks.release.steps.map((s: any) => s.spawn ?? s.exec ?? s.execArgs?.join(' '))).toEqual(['rm -fr dist', 'bump', 'build', 'unbump', 'git diff --ignore-space-at-eol --exit-code']);
});

test('pull-request-lint asks for the conventional types CONTRIBUTING.md lists; upgrade-main runs weekly', () => {
  const lint = workflow('pull-request-lint');
  const step = lint.jobs.validate.steps[0];
  expect(step.uses).toMatch(/^amannn\/action-semantic-pull-request@[0-9a-f]{40}$/);
  const types = String(step.with.types).split('\n');
  expect(types).toEqual(['feat', 'fix', 'perf', 'revert', 'docs', 'test', 'build', 'ci', 'refactor', 'chore']);
  const contributing = read('CONTRIBUTING.md');
  const table = [...contributing.matchAll(/^\| ((?:`[a-z]+`(?:, )?)+) \|/gm)].flatMap((m) => [...m[1].matchAll(/`([a-z]+)`/g)].map((t) => t[1]));
  expect(table.sort()).toEqual([...types].sort());
  expect(workflow('upgrade-main').on.schedule).toEqual([{ cron: '0 0 * * 1' }]);
});

test('every secret a workflow reads is named in CONTRIBUTING.md with the jobs that read it, and no other', () => {
  const used = new Map<string, Set<string>>();
  for (const f of fs.readdirSync(WORKFLOWS)) {
    const wf = parse(fs.readFileSync(path.join(WORKFLOWS, f), 'utf8'));
    for (const [job, def] of Object.entries<any>(wf.jobs)) {
      for (const m of JSON.stringify(def).matchAll(/secrets\.([A-Z0-9_]+)/g)) {
        if (m[1] === 'GITHUB_TOKEN') continue; // GitHub's own
        if (!used.has(m[1])) used.set(m[1], new Set());
        used.get(m[1])!.add(job);
      }
    }
  }
  const documented = new Map<string, Set<string>>();
  for (const m of read('CONTRIBUTING.md').matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]+) \|/gm)) {
    documented.set(m[1], new Set([...m[2].matchAll(/`([a-z_-]+)`/g)].map((j) => j[1])));
  }
  expect([...documented.keys()].sort()).toEqual([...used.keys()].sort());
  for (const [secret, jobs] of used) {
    const documentedFor = [...documented.get(secret)!];
    for (const job of jobs) expect({ secret, documentedFor }).toEqual({ secret, documentedFor: expect.arrayContaining([job]) });
  }
  expect(used.size).toBe(11);
});

test('issue forms: each has a name, a description and a body GitHub accepts (unique ids, labels, known types)', () => {
  const dir = path.join(ROOT, '.github', 'ISSUE_TEMPLATE');
  const forms = fs.readdirSync(dir).filter((f) => f !== 'config.yml').sort();
  expect(forms).toEqual(['bug-report.yml', 'feature-request.yml', 'lint-finding.yml']);
  for (const f of forms) {
    const form = parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    expect(typeof form.name).toBe('string');
    expect(typeof form.description).toBe('string');
    const ids = new Set<string>();
    for (const item of form.body) {
      // https://docs.github.com/en/communities/using-templates-to-encourage-useful-issues-and-pull-requests/syntax-for-githubs-form-schema
      expect(['markdown', 'input', 'textarea', 'dropdown', 'checkboxes']).toContain(item.type);
      if (item.type === 'markdown') {
        expect(typeof item.attributes.value).toBe('string');
        continue;
      }
      expect(typeof item.attributes.label).toBe('string');
      expect(ids.has(item.id)).toBe(false);
      ids.add(item.id);
      if (item.type === 'dropdown') expect(item.attributes.options.every((o: unknown) => typeof o === 'string')).toBe(true);
    }
    expect(form.body.some((i: any) => i.validations?.required)).toBe(true);
  }
  const config = parse(fs.readFileSync(path.join(dir, 'config.yml'), 'utf8'));
  expect(config.blank_issues_enabled).toBe(false);
  expect(read('.github', 'pull_request_template.md')).toContain('Conventional Commit');
});

test('projen\'s bump on conventional commits: 0.1.0 first, then a patch for feat, fix or perf before 1.0, a minor for a breaking change, nothing for docs', () => {
  // the release task's bump, run with this project's tasks in a repository of its own (commit-and-tag-version from node_modules)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kuma-bump-'));
  try {
    fs.mkdirSync(path.join(dir, '.projen'));
    fs.copyFileSync(path.join(ROOT, '.projen', 'tasks.json'), path.join(dir, '.projen', 'tasks.json'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const pkg = JSON.parse(read('package.json'));
    // the repository keeps 0.0.0 (unbump), whatever version a release build runs this with
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: pkg.name, version: '0.0.0', repository: pkg.repository }, undefined, 2) + '\n');
    fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\ndist\n');
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
    };
    const commit = (message: string) => git('commit', '-q', '--allow-empty', '-m', message);
    const bump = () => {
      fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
      const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'projen', 'bin', 'projen'), 'bump'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
      if (r.status !== 0) throw new Error(r.stdout + r.stderr);
      const out = {
        version: fs.readFileSync(path.join(dir, 'dist', 'version.txt'), 'utf8'),
        tag: fs.readFileSync(path.join(dir, 'dist', 'releasetag.txt'), 'utf8'),
        changelog: fs.readFileSync(path.join(dir, 'dist', 'changelog.md'), 'utf8').split('\n').filter((l) => /^(##|\*)/.test(l)).map((l) => l.replace(/ \(\[?[0-9a-f]{7}.*$/, '').replace(/\(\d{4}-\d\d-\d\d\)/, '(date)')),
      };
      git('checkout', '-q', 'package.json'); // what unbump does: the repository keeps 0.0.0
      return out;
    };
    git('init', '-q');
    git('add', '-A');
    commit('chore: start');
    expect(bump()).toEqual({ version: '0.1.0', tag: 'v0.1.0', changelog: ['## 0.1.0 (date)'] });
    git('tag', 'v0.1.0');
    commit('docs: the README');
    expect(bump().version).toBe('0.1.0'); // nothing releasable: the tag exists, the release workflow publishes nothing
    commit('feat(lint): KUMA050');
    commit('fix(gateway): the token volume');
    expect(bump()).toEqual({
      version: '0.1.1',
      tag: 'v0.1.1',
      changelog: ['## [0.1.1](https://github.com/maintainers/cdk8s-kuma/compare/v0.1.0...v0.1.1) (date)', '### Features', '* **lint:** KUMA050', '### Bug Fixes', '* **gateway:** the token volume'],
    });
    git('tag', 'v0.1.1');
    commit('feat!: MeshService takes selectorLabels only');
    expect(bump()).toMatchObject({ version: '0.2.0', tag: 'v0.2.0' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
