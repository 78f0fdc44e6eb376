/**
 * End-to-end tests: this package's nodes inside a real n8n (Node 24, cached by scripts/install-n8n.sh).
 * Run: npm run test:e2e (builds first) or npm run test:e2e:only   (first run installs n8n: ~9 min)
 * The unit-test config must not pick up test/e2e/ (these files end in .e2e.test.ts).
 * @type {import('jest').Config}
 */
module.exports = {
	rootDir: __dirname,
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
	// packages/ holds each single-provider package twice (committed manifest, assembled build)
	modulePathIgnorePatterns: ['<rootDir>/packages/'],
	transform: {
		'^.+\\.ts$': [
			'ts-jest',
			{
				// self-contained, so the e2e tests do not depend on the build's tsconfig (rootDir, outDir, ...)
				tsconfig: {
					target: 'es2022',
					module: 'commonjs',
					moduleResolution: 'node',
					lib: ['es2022', 'dom', 'dom.iterable'], // dom: code the browser tests run in the page
					strict: true,
					esModuleInterop: true,
					resolveJsonModule: true,
					skipLibCheck: true,
					types: ['node', 'jest'],
				},
			},
		],
	},
	moduleFileExtensions: ['ts', 'js', 'json'],
	// one n8n at a time on a 2-core machine; each test file shares its n8n home(s)
	maxWorkers: 1,
	// a cold install (the first file's beforeAll) takes ~9 min; each `n8n execute` costs 4-10 s
	testTimeout: 5 * 60_000,
	slowTestThreshold: 60,
	// no stray n8n processes: the harness kills its process groups; this catches leaked handles
	forceExit: false,
	detectOpenHandles: false,
	verbose: true,
};
