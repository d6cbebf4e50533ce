import { cdk8s, javascript, JsonFile, ReleasableCommits } from 'projen';

// projen's cdk8s.ConstructLibraryCdk8s (projen/projen src/cdk8s/cdk8s-construct.ts, projen 0.103.25); each setting says why.
const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-kuma',
  description:
    'cdk8s constructs for Kuma / Kong Mesh delegated gateways and the meshed services behind them',
  keywords: ['cdk8s', 'kuma', 'kong-mesh', 'service-mesh', 'delegated-gateway', 'kubernetes'],
  author: 'Seed 64abefb5 maintainers',
  authorAddress: 'maintainers@users.noreply.r-seed-64abefb5.example',
  repositoryUrl: 'https://github.com/maintainers/cdk8s-kuma.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Plain `projen new cdk8s-construct` defaults to cdk8s v1 and fails to install here;
  // pinned minimums must exist on the registry mirror (projen src/cdk8s/cdk8s-construct.ts: cdk8sVersion @default "1.4.10";
  // peerDeps become pinned devDeps, src/javascript/node-package.ts).
  cdk8sVersion: '2.70.106',
  constructsVersion: '10.3.0',
  jsiiVersion: '~6.0.0',
  // engines >= 20.16 (jsii's floor) and @types/node ^20 instead of ^26.
  minNodeVersion: '20.16.0',

  // ConstructLibraryCdk8s has no cdk8s-plus option (projen/projen#1273, src/cdk8s/cdk8s-construct.ts): declare it as a peer.
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  devDeps: [
    // `cdk8s import` of the local Kuma CRDs (task import:kuma); never reaches the network
    // with CDK8S_CHECK_UPGRADE=false (cdk8s-team/cdk8s-cli src/upgrades.ts; option check-upgrade, env prefix CDK8S: src/cli/index.ts).
    'cdk8s-cli@^2.207.60',
    // Output validators written by nobody on this project (test/support/validate.ts).
    // kubernetes-models 5.x is ESM-only and needs Node >= 22; 4.5 ships CommonJS for jest.
    'kubernetes-models@^4.5.1',
    'ajv@^8.20.0',
    'ajv-formats@^3.0.1',
    // Property-based tests (test/properties.test.ts) and the long campaign (npx projen fuzz).
    'fast-check@^4.11.0',
    // Node's own CommonJS export detector, to check the lazy index (test/lazy-index.test.ts).
    'cjs-module-lexer@^2.1.0',
    // The SARIF 2.1.0 schema and a jest matcher for it (test/lint-sarif.test.ts; MIT, offline).
    '@microsoft/jest-sarif@1.0.0-beta.0',
    // A real Mermaid parser for the graph's text (test/graph-command.test.ts, in a child process:
    // mermaid is ESM-only and wants a DOM, which jsdom gives it; offline).
    'mermaid@^11.17.2',
    'jsdom@^27.4.0',
    // GitHub's workflow and action schemas (SchemaStore) with action-validator's checks, compiled
    // to WebAssembly: the workflows and action.yml are validated offline (test/github-workflows.test.ts).
    // GPL-3.0: a test tool only, never bundled or shipped.
    '@action-validator/core@^0.6.0',
    // An app on the cdk8s-plus that `cdk8s init` starts with today, using this library (built on
    // cdk8s-plus-28) through the paths that take no cdk8s-plus-28 object (test/cdk8s-plus-33-app.test.ts).
    'cdk8s-plus-33@^2.5.57',
  ],

  // Every jsii language: cdk8s apps are written in TypeScript, Python, Java, Go and C#. These
  // machines reach only the npm registry, so .ci/run generates the Python and Go sources
  // (jsii-pacmak --code-only) instead of building the packages.
  publishToPypi: { distName: 'cdk8s-kuma', module: 'cdk8s_kuma' },
  publishToMaven: {
    javaPackage: 'io.github.maintainers.cdk8s.kuma',
    mavenGroupId: 'io.github.maintainers',
    mavenArtifactId: 'cdk8s-kuma',
  },
  publishToGo: { moduleName: 'github.com/maintainers/cdk8s-kuma-go', packageName: 'cdk8skuma' },
  publishToNuget: { dotNetNamespace: 'Cdk8sKuma', packageId: 'Cdk8sKuma' },

  // The lint command reads YAML files; `graph --format svg` draws with Graphviz compiled to
  // WebAssembly (no dependencies, loaded only for svg). jsii libraries ship non-jsii dependencies bundled.
  bundledDeps: ['yaml@^2.9.1', '@viz-js/viz@^3.31.0'],
  bin: { 'cdk8s-kuma': 'lib/cli.js' },

  // GitHub (projen src/github, src/release, src/javascript/node-project.ts): `build` on every pull
  // request (the tests and the packages of all five languages, then the plugin and example checks
  // .ci/run also runs), `release` on every push to main (version and changelog from conventional
  // commits, then npm, PyPI, Maven Central, NuGet and the Go module repository), `upgrade-main`
  // (weekly dependency upgrades as a pull request) and `pull-request-lint` (conventional titles).
  // The secrets each job reads are listed in CONTRIBUTING.md; test/github-workflows.test.ts checks both.
  github: true,
  githubOptions: {
    // Merging stays with people and branch protection: no Mergify app to install.
    mergify: false,
    pullRequestLintOptions: {
      semanticTitleOptions: { types: ['feat', 'fix', 'perf', 'revert', 'docs', 'test', 'build', 'ci', 'refactor', 'chore'] },
    },
  },
  // Node 24, the active LTS line: its npm 11 wrote package-lock.json (npm 10, Node 22's, rewrites it
  // and the build's mutation check fails), and npm trusted publishing needs npm >= 11.5.1
  // (projen src/release/publisher.ts npmTrustedPublishing). Node 20 is past its end of life.
  workflowNodeVersion: '24.x',
  release: true,
  releaseToNpm: true,
  // Release tags are v<version> (projen src/release/bump-version.ts writes `${prefix}v${version}`, no
  // prefix here): the GitHub Action is used as maintainers/cdk8s-kuma@v<version> (README).
  // A release when a commit since the last tag is a feat, fix, perf or revert: docs, tests, chores
  // and refactors alone do not publish, even marked breaking (CONTRIBUTING.md).
  releasableCommits: ReleasableCommits.ofType(['feat', 'fix', 'perf', 'revert']),
  // Without a tag projen would publish the version in package.json, 0.0.0, as the first release
  // (src/release/bump-version.ts: a first release skips the bump); the first one is 0.1.0.
  // (projen's task shell has its own `test`, with file tests only: node decides.)
  nextVersionCommand: 'node -e "process.env.LATEST_TAG || process.stdout.write(\'0.1.0\')"',
  // The build and release jobs compile right after installing: npm's prepare (build-tools/prepare.js)
  // need not compile first, as in .ci/run. The pre-commit e2e step removes it for its own install.
  buildWorkflowOptions: { env: { CDK8S_KUMA_SKIP_PREPARE: '1' } },
  releaseWorkflowEnv: { CDK8S_KUMA_SKIP_PREPARE: '1' },
  postBuildSteps: [
    { name: 'cdk8s synth with the packed package as validation plugin', run: 'npx projen test:plugin-e2e' },
    { name: 'The pre-commit hook installed from git and run', run: 'npx projen test:pre-commit-e2e' },
    { name: 'The README example synth', run: 'npx projen synth:example' },
  ],
  depsUpgradeOptions: { workflowOptions: { schedule: javascript.UpgradeDependenciesSchedule.WEEKLY } },
  // The pull request template (.github/pull_request_template.md); the issue forms beside it are plain files.
  pullRequestTemplateContents: [
    '<!-- The title is a Conventional Commit (CONTRIBUTING.md): it becomes the squashed commit, the version bump and the changelog line. -->',
    '',
    'Fixes #',
    '',
    '### What a user sees change',
    '<!-- The emitted YAML, the finding, the message or the command output, before and after. -->',
    '',
    '### Checked',
    '- [ ] `npx projen test` passes; new or changed snapshots were written with `npx projen test:update` and read before committing',
    '- [ ] The YAML this change emits was read as an SRE about to apply it: pods start, routes carry traffic (CONTRIBUTING.md)',
    '- [ ] A bad input fails with a message naming the construct path, the field, the value and the fix, and a test asserts it',
    '- [ ] What differs by Kuma version reads the capability table (`src/kuma/_kuma-capabilities.ts`), not the version',
    '- [ ] Comments cite Kuma\'s or Kong\'s sources (a file at a tag, a PR, a docs URL)',
    '- [ ] Generated files were regenerated, not edited: `npx projen`, `npx projen docgen`, `npx projen docs:rules`',
  ],
  // No *.integ.ts apps: the example synth is a plain ts-node task (projen src/cdk8s/auto-discover.ts, src/cdk8s/integration-test.ts).
  integrationTestAutoDiscover: false,

  // projen's default test task runs `jest --updateSnapshot`, which rewrites wrong snapshots
  // even with CI=true; NEVER makes a mismatch (or a missing snapshot) fail. New snapshots are
  // written with `npx projen test:update` and committed.
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      coveragePathIgnorePatterns: ['/node_modules/', '/src/imports/'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'build-tools', 'examples', 'bench'],
    // Generated by `cdk8s import`; eslint --fix would rewrite it (projen's eslint task passes --fix: projen src/javascript/eslint.ts).
    ignorePatterns: ['src/imports/**'],
  },
  // The compiled package loads faster without inline source maps (each .js file carried its
  // map and sources as base64: 4.2 MB of lib/ instead of 1.9 MB, ~30 ms of every import):
  // maps go to .js.map files beside them, which Node reads only with --enable-source-maps.
  tsconfig: {
    compilerOptions: { inlineSourceMap: false, inlineSources: true, sourceMap: true },
  },
  tsconfigDev: {
    include: ['examples/**/*.ts', 'build-tools/**/*.ts'],
    compilerOptions: {},
  },
});

// typescript-eslint's project service lints a file with the nearest tsconfig.json; give the
// folders outside src/ and test/ one that extends the dev tsconfig (https://typescript-eslint.io/packages/parser/#projectservice).
for (const dir of ['examples', 'build-tools', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts'] },
  });
}

// API.md documents this library's constructs; the generated kuma.* L1 reference (44,000 lines)
// goes to its own file, kuma.md, beside it.
project.tasks.tryFind('docgen')?.reset('jsii-docgen -o API.md --split-by-submodule');

// `package` would build the Python, Java, .NET and Go packages, which needs their toolchains
// and registries; here it packs the npm package and generates the other languages' sources
// (jsii-pacmak --code-only into dist/bindings), which fails on anything jsii cannot express.
const bindings = project.addTask('bindings', {
  description: 'Generate the Python, Go, Java and .NET sources of the bindings (no toolchains needed)',
  exec: 'jsii-pacmak --code-only --target python --target go --target java --target dotnet -o dist/bindings',
});
bindings.exec('node build-tools/check-bindings.js dist/bindings');
// The README's and the API docs' TypeScript snippets, compiled against the library and translated
// to Python, C#, Java and Go (rosetta/default.ts-fixture gives them their app and charts).
const rosetta = project.addTask('rosetta', {
  description: 'Compile the README and @example snippets with jsii-rosetta and translate them (dist/rosetta)',
  exec: 'jsii-rosetta extract --compile --fail --output dist/rosetta/tablet.json .jsii',
});
rosetta.exec('node build-tools/check-rosetta.js dist/rosetta/tablet.json');
// The README's cdk8s-plus-33 snippet imports it: jsii-rosetta adds it to the snippets' dependencies
// (aws/jsii-rosetta src/jsii/assemblies.ts, `jsiiRosetta.exampleDependencies`; installed from the npm registry).
project.package.addField('jsiiRosetta', { exampleDependencies: { 'cdk8s-plus-33': '^2.5.57' } });
// rosetta first: its implicit tablet (.jsii.tabl.json, the snippets translated) goes into the npm
// package, where jsii-pacmak finds it beside .jsii when the release jobs build the other languages'
// packages from it (aws/jsii-rosetta: an assembly's implicit tablet); without it their docs keep
// the TypeScript.
const packageTask = project.tasks.tryFind('package')!;
packageTask.reset();
packageTask.spawn(rosetta);
packageTask.spawn(project.tasks.tryFind('package:js')!);
packageTask.spawn(bindings);

// The package ships lib/ (and the lint command); the example and the generator need src/.
project.npmignore?.exclude('/build-tools/', '/examples/', '/bench/', '/.ci/', '/rosetta/', '/docs/', '/ARCHITECTURE.md', '/CONTRIBUTING.md', '/action.yml', '/.pre-commit-hooks.yaml');
// jsii-rosetta writes its implicit tablet beside the assembly (npx projen rosetta): a build product,
// shipped in the npm package, never committed.
project.gitignore.exclude('/.jsii.tabl.json');

// A copy installed from git (pre-commit's `language: node` hooks, .pre-commit-hooks.yaml) builds
// lib/ in npm's prepare script when it is missing (build-tools/prepare.js).
project.package.setScript('prepare', 'node build-tools/prepare.js');
// ... and the package npm packs goes without it (build-tools/pack-manifest.js): an installed package
// with a prepare script fails `npm install` under npm's strict-allow-scripts.
project.package.setScript('prepack', 'node build-tools/pack-manifest.js strip');
project.package.setScript('postpack', 'node build-tools/pack-manifest.js restore');
project.gitignore.exclude('/.package.json.unpacked');

// `cdk8s synth` with the packed package as its validation plugin (build-tools/plugin-e2e.ts).
project.addTask('test:plugin-e2e', {
  description: 'cdk8s synth of a broken and a fixed app with the packed package (dist/js) as validation plugin',
  exec: 'ts-node --project test/tsconfig.json build-tools/plugin-e2e.ts',
});

// jsii prints a Node-20 end-of-life banner on every run, and would fetch releases.json from
// GitHub for its support-policy check (aws/jsii-compiler src/support.ts; aws/jsii packages/@jsii/check-node/src/index.ts).
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
project.tasks.addEnvironment('JSII_SILENCE_SUPPORT_WARNING', '1');
// cdk8s-cli checks for upgrades over plain http on every command (cdk8s-team/cdk8s-cli src/upgrades.ts, src/cli/index.ts).
project.tasks.addEnvironment('CDK8S_CHECK_UPGRADE', 'false');

// TypeScript compiles the index's `export *` (and jsii's `export * as kuma`) to eager requires
// of every module; make each load on first access (build-tools/lazy-index.ts), so an app pays for
// the constructs it uses and importing the package stays cheap.
project.compileTask.exec('ts-node --project test/tsconfig.json build-tools/lazy-index.ts');

// jsii's strict tsconfig keeps @internal members in the typings (stripInternal must be false for
// it), so autocomplete would offer `_toKube()` and friends: the declarations are emitted again
// with stripInternal, then checked (build-tools/check-declarations.js).
project.compileTask.exec('tsc -p tsconfig.json --emitDeclarationOnly --stripInternal');
project.compileTask.exec('node build-tools/check-declarations.js');
// the rules' example sets, for `cdk8s-kuma rules <ID>` from the installed package
project.compileTask.exec('node build-tools/rule-examples.js');

// The pre-commit hook installed from git and run as pre-commit does (build-tools/pre-commit-e2e.ts).
project.addTask('test:pre-commit-e2e', {
  description: 'Install the pre-commit hook from this repository\'s HEAD as pre-commit does (npm install -g git+file://), run it on samples',
  exec: 'ts-node --project test/tsconfig.json build-tools/pre-commit-e2e.ts',
});

// Generated Kuma L1 classes and CRD schemas from the local CRD files (no network).
// The CRD directory defaults to ../shared/kuma-crds and can be moved with KUMA_CRDS_DIR.
project.addTask('import:kuma', {
  description:
    'Generate src/imports/kuma.io.ts and src/imports/kuma-crd-schemas.json from the Kuma CRDs',
  exec: 'ts-node --project test/tsconfig.json build-tools/import-kuma-crds.ts',
});

// Kuma's own truth for the conformance suite (test/conformance): per-version CRD schemas, the
// annotation catalogue per version and Kuma's test fixtures, copied from ../shared/kuma
// (KUMA_DIR) with attribution. CI regenerates them and fails on a diff.
project.addTask('import:kuma-conformance', {
  description:
    'Copy Kuma\'s per-version CRD schemas, annotation catalogue and test fixtures into the project',
  exec: 'ts-node --project test/tsconfig.json build-tools/import-kuma-conformance.ts',
});

// A long property-based campaign (not part of the tests): FUZZ_RUNS apps, default 10,000.
project.addTask('fuzz', {
  description: 'Generate and check random apps (FUZZ_RUNS, default 10000); prints the counts',
  exec: 'ts-node --project test/tsconfig.json build-tools/fuzz-campaign.ts',
});

// The synth benchmark (bench/): not part of the tests; BENCH_SIZES and BENCH_RUNS tune it.
// It compiles first: the import measurement loads lib/ as an app would.
const bench = project.addTask('bench', {
  description: 'Benchmark estate(N) synth: library vs raw ApiObjects vs cdk8s-plus-28 (BENCH_SIZES, BENCH_RUNS); import; lint',
});
bench.spawn(project.compileTask);
bench.exec('ts-node --project test/tsconfig.json bench/bench.ts');
project.tsconfigDev.addInclude('bench/**/*.ts');

// Synthesize the bundled example without cdk8s-cli: App.synth() writes the files itself.
project.addTask('synth:example', {
  description: 'Synthesize examples/main.ts into dist/example/<cluster>/ (Kuma 2.14) and dist/example-kuma-3.0/<cluster>/',
  exec: 'ts-node --project test/tsconfig.json examples/main.ts',
});

// The rules' pages (docs/rules/) and the README's rule table, generated from the rule registry.
project.addTask('docs:rules', {
  description: 'Write docs/rules/*.md and the README rule table from src/analysis/rules',
  exec: 'ts-node --project test/tsconfig.json build-tools/rule-docs.ts',
});

// The layers of src/ (ARCHITECTURE.md), bottom to top: private <- kuma <- model, mesh <- multizone <-
// gateway <- analysis. A folder imports only from the folders below it; nothing but index.ts and
// cli.ts imports analysis/; the gateway's policies see the gateway only through gateway-ref.ts.
const layer = (target: string, allowed: string[], message: string) => ({
  target: `./src/${target}`,
  from: './src',
  except: allowed.map((a) => `./${a}`),
  message,
});
project.eslint?.addRules({
  'import/no-cycle': ['error', { ignoreExternal: true }],
  'import/no-restricted-paths': ['error', {
    zones: [
      layer('private', ['private'], 'private/ holds cross-cutting internals and imports nothing else of the library.'),
      layer('kuma', ['kuma', 'private', 'imports'], 'kuma/ (what varies by Kuma version) imports only private/ and the generated imports/.'),
      layer('model', ['model', 'kuma', 'private', 'imports'], 'model/ (what Kuma makes of a set of manifests) imports only kuma/ and private/.'),
      layer('mesh', ['mesh', 'kuma', 'private', 'imports'], 'mesh/ imports only kuma/ and private/.'),
      layer('multizone', ['multizone', 'mesh', 'kuma', 'private', 'imports'], 'multizone/ imports only mesh/, kuma/ and private/.'),
      layer('gateway', ['gateway', 'multizone', 'mesh', 'model', 'kuma', 'private', 'imports'], 'gateway/ must not import analysis/.'),
      {
        target: './src/gateway/policies',
        from: './src/gateway',
        except: ['./policies', './gateway-ref.ts', './gateway-identity.ts', './gateway-flavour.ts', './_gateway-outbounds.ts'],
        message: 'A gateway policy sees the gateway only through IDelegatedGatewayRef (gateway-ref.ts).',
      },
      {
        target: './src/analysis/rules',
        from: './src/analysis/lint',
        message: 'Rules do not know the command line.',
      },
    ],
  }],
});

project.synth();
