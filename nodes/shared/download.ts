import type { IBinaryData, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { jobError } from './errors';
import { readFailure, settle } from './failure';
import { ExecutionStopped, backoffDelay, pause } from './timing';

const DOWNLOAD_ATTEMPTS = 3;
// A long render can be gigabytes: allow time for the transfer, not for a stalled connection.
const DOWNLOAD_TIMEOUT_MS = 30 * 60_000;

/**
 * Streams the finished video into n8n's binary data (on disk when n8n stores binaries there), as
 * `<jobId>.mp4`, `video/mp4`. The request carries no credentials: download hosts are not the API.
 * A transfer that ends short of its Content-Length is an error, never a short video.
 */
export async function downloadVideo(
	ctx: IExecuteFunctions,
	args: { url: string; jobId: string; itemIndex: number; providerName: string },
): Promise<IBinaryData> {
	const signal = ctx.getExecutionCancelSignal();
	const fileName = `${args.jobId}.mp4`;
	for (let attempt = 0; ; attempt++) {
		const outcome = await settle(fetchOnce(ctx, args.url, fileName, signal));
		if ('value' in outcome) return outcome.value;
		if (signal?.aborted) throw new ExecutionStopped();
		const failure = readFailure(outcome.error);
		const transient = failure.status === undefined || failure.status >= 500;
		if (transient && attempt + 1 < DOWNLOAD_ATTEMPTS) {
			await pause(backoffDelay(attempt, 500, 10_000), signal);
			continue;
		}
		const why =
			failure.status === 403 || failure.status === 404 || failure.status === 410
				? `the link was refused (HTTP ${failure.status}); it may have expired`
				: failure.status !== undefined
					? `HTTP ${failure.status}`
					: failure.message || failure.code || 'the connection failed';
		// Continue On Fail puts the jobId on the item, so the finished (paid) job is not lost.
		throw jobError(
			ctx.getNode(),
			`Could not download the video of job ${args.jobId} from ${args.providerName}: ${why}`,
			{
				itemIndex: args.itemIndex,
				jobId: args.jobId,
				description:
					'The job itself is finished; run Get Result again for this jobId to fetch a fresh link.',
			},
		);
	}
}

async function fetchOnce(
	ctx: IExecuteFunctions,
	url: string,
	fileName: string,
	signal: AbortSignal | undefined,
): Promise<IBinaryData> {
	const request: IHttpRequestOptions = {
		method: 'GET',
		url,
		encoding: 'stream',
		returnFullResponse: true,
		timeout: DOWNLOAD_TIMEOUT_MS,
		abortSignal: signal,
	};
	const response = (await ctx.helpers.httpRequest(request)) as {
		body: Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];
		headers: Record<string, string | undefined>;
	};
	const binary = await ctx.helpers.prepareBinaryData(response.body, fileName, 'video/mp4');
	const expected = Number(response.headers['content-length']);
	const stored = binaryLength(binary);
	if (Number.isFinite(expected) && expected > 0 && stored !== undefined && stored !== expected) {
		throw Object.assign(new Error(`the transfer ended after ${stored} of ${expected} bytes`), {
			code: 'ETRUNCATED',
		});
	}
	binary.fileName = fileName;
	binary.mimeType = 'video/mp4';
	return binary;
}

function binaryLength(binary: IBinaryData): number | undefined {
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (binary.id === undefined && typeof binary.data === 'string' && binary.data.length > 0) {
		return Buffer.from(binary.data, 'base64').length;
	}
	return undefined;
}
