/**
 * All fake providers on one server. To add a provider: write test/fakes/<provider>.ts exporting a
 * class that implements FakeProvider, append a factory to `providers`, re-export the module below.
 */
import { AiStudiosFake } from './aiStudios';
import { CdnVideoFake } from './cdnVideo';
import { HiDreamFake } from './hiDream';
import { KvidFake } from './kvid';
import { KvidGenerationFake } from './kvidGeneration';
import { OpenAiFake } from './openAi';
import { FakeServer, type FakeProvider, type FakeServerOptions } from './server';

export * from './server';
export * from './cdnVideo';
export * from './hiDream';
export * from './hiDreamTasks';
export * from './aiStudios';
export * from './aiStudiosV3';
export * from './kvid';
export * from './kvidGeneration';
export * from './openAi';

/** one factory per fake provider (a fresh instance for each server) */
export const providers: Array<() => FakeProvider> = [() => new CdnVideoFake(), () => new AiStudiosFake(), () => new HiDreamFake(), () => new KvidFake(), () => new KvidGenerationFake(), () => new OpenAiFake()];

export interface StartFakeProvidersOptions extends FakeServerOptions {
	/** API server port; default 0 = random */
	port?: number;
}

/** Starts the API and file servers with every registered fake provider. */
export async function startFakeProviders(options: StartFakeProvidersOptions = {}): Promise<FakeServer> {
	const server = new FakeServer(
		providers.map((make) => make()),
		options,
	);
	await server.start(options.port ?? 0);
	return server;
}
