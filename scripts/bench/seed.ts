/**
 * The seed's sequential script (aistudios-chromakey-export.md, "전체 코드"), reproduced line for line
 * for the benchmark, plus the same algorithm ported to CDNvideo's endpoints (its seed has no script).
 * Differences from the original, all forced by the setting, none by taste:
 * - the base URL is the fake's, and the download uses `http.get` (the fake serves http, not https);
 * - `sleep` and the clock are injected, so the benchmark can run the 3 s waits in warped time;
 * - a bound on the number of polls (the original loops forever on a failed render).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

/** Time as the seed sees it: real, or warped (its sleeps skipped and added to a virtual clock). */
export interface SeedClock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const realClock: SeedClock = {
	now: () => Date.now(),
	sleep: async (ms) => await new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A clock on which every sleep returns at once but counts as elapsed: now() = wall time + slept.
 * Give the fake the same `now`, and renders progress as if the script had really waited.
 */
export function warpedClock(): SeedClock {
	let skipped = 0;
	return {
		now: () => Date.now() + skipped,
		sleep: async (ms) => {
			skipped += ms;
			await new Promise((resolve) => setImmediate(resolve));
		},
	};
}

export interface SeedRun {
	/** from the first request until the last file is on disk, on the given clock */
	makespanMs: number;
	jobIds: string[];
}

interface SeedOptions {
	baseUrl: string;
	videosDir: string;
	clock: SeedClock;
	/** safety bound on the polls of one job (the original has none) */
	maxPolls: number;
}

const POLL_MS = 3000; // the seed's "Wait 3 seconds"

/** Starts the download like the seed (not awaited by its loop); resolves, on the clock, when the file is written. */
function download(fileUrl: string, videosDir: string, clock: SeedClock): Promise<number> {
	const written = new Promise<number>((resolve, reject) => {
		const filename = path.basename(new URL(fileUrl).pathname);
		const file = fs.createWriteStream(path.join(videosDir, filename));
		http
			.get(fileUrl, (response) => {
				response.pipe(file);
				file.on('finish', () => {
					file.close();
					resolve(clock.now());
				});
			})
			.on('error', reject);
	});
	// awaited together at the end; until then a failure must not count as unhandled
	written.catch(() => undefined);
	return written;
}

/** The seed's script: for each job, export, then check progress every 3 s and download at 100. */
export async function runAiStudiosSeed(
	options: SeedOptions & { token: string; jobs: Array<Record<string, string>> },
): Promise<SeedRun> {
	const { baseUrl, token, jobs, videosDir, clock } = options;
	const started = clock.now();
	const downloads: Array<Promise<number>> = [];
	const jobIds: string[] = [];
	for (const i in jobs) {
		// #1. Request export
		const projectKey = await fetch(`${baseUrl}/api/odin/simple/video`, {
			method: 'POST',
			body: JSON.stringify(jobs[i]),
			headers: { Authorization: token, 'Content-Type': 'application/json' },
		})
			.then(async (response) => (await response.json()) as { success?: boolean; data?: { key?: string } })
			.then((res) => {
				if (res.success == true) return res.data?.key;
				return undefined;
			});
		jobIds.push(String(projectKey));

		// #2. Check progress & download
		let complete = 0;
		for (let polls = 0; ; polls++) {
			if (complete) break;
			if (polls >= options.maxPolls) throw new Error(`seed script: job ${projectKey} not done after ${polls} polls`);
			await fetch(`${baseUrl}/api/odin/editor/progress/${projectKey}`, {
				method: 'GET',
				headers: { Authorization: token, 'Content-Type': 'application/json' },
			})
				.then(async (response) => (await response.json()) as { success?: boolean; data?: { progress: number; url?: string } })
				.then((res) => {
					if (res.success == true && res.data) {
						// below 100 the seed only logs "Waiting... progress: <n>"
						if (res.data.progress >= 100 && res.data.url) {
							downloads.push(download(res.data.url, videosDir, clock));
							complete = 1;
						}
					}
				});
			await clock.sleep(POLL_MS); // Wait 3 seconds (also after the last check, as in the seed)
		}
	}
	const ends = await Promise.all(downloads);
	return { makespanMs: Math.max(clock.now(), ...ends) - started, jobIds };
}

/** The same algorithm on CDNvideo: generate, status every 3 s until processed, video link, download. */
export async function runCdnVideoSeed(
	options: SeedOptions & { token: string; account: string; bodies: Array<Record<string, unknown>> },
): Promise<SeedRun> {
	const { baseUrl, token, account, bodies, videosDir, clock } = options;
	const api = `${baseUrl}/app/th-api/v1/accounts/${account}`;
	const headers = { 'CDN-AUTH-TOKEN': token, 'Content-Type': 'application/json' };
	const started = clock.now();
	const downloads: Array<Promise<number>> = [];
	const jobIds: string[] = [];
	for (const body of bodies) {
		const task = (await (await fetch(`${api}/generate`, { method: 'POST', body: JSON.stringify(body), headers })).json()) as { id?: string };
		const taskId = String(task.id);
		jobIds.push(taskId);
		let complete = 0;
		for (let polls = 0; ; polls++) {
			if (complete) break;
			if (polls >= options.maxPolls) throw new Error(`seed script: task ${taskId} not done after ${polls} polls`);
			const status = (await (await fetch(`${api}/status/${taskId}`, { headers })).json()) as { task?: { status?: string } };
			if (String(status.task?.status).toLowerCase() === 'processed') {
				const video = (await (await fetch(`${api}/video/${taskId}`, { headers })).json()) as { url?: string };
				if (video.url) {
					downloads.push(download(video.url, videosDir, clock));
					complete = 1;
				}
			}
			await clock.sleep(POLL_MS);
		}
	}
	const ends = await Promise.all(downloads);
	return { makespanMs: Math.max(clock.now(), ...ends) - started, jobIds };
}
