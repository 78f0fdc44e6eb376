/**
 * Local sandbox: npx tsx test/fakes/cli.ts [--port 9876] [--render-ms 5000] [--file-size 150000]
 *   [--file-port 0] [--verbose]
 * Prints the base URL on the first line, then the sandbox credentials as JSON. Stops on SIGINT/SIGTERM.
 */
import { startFakeProviders } from './index';

function option(name: string): number | undefined {
	const index = process.argv.indexOf(`--${name}`);
	if (index < 0) return undefined;
	const value = Number(process.argv[index + 1]);
	if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a non-negative integer`);
	return value;
}

async function main(): Promise<void> {
	const server = await startFakeProviders({
		port: option('port'),
		renderMs: option('render-ms'),
		fileSize: option('file-size'),
		filePort: option('file-port'),
	});
	if (process.argv.includes('--verbose')) {
		server.onRequest = (r) => console.error(`${new Date(r.at).toISOString()} ${r.provider || '-'} ${r.method} ${r.path}`);
	}
	console.log(server.baseUrl);
	console.log(JSON.stringify({ baseUrl: server.baseUrl, fileBaseUrl: server.fileBaseUrl, credentials: server.sandboxCredentials() }, null, 2));
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		void server.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
