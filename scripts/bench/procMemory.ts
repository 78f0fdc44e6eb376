import * as fs from 'node:fs';

export interface Memory {
	/** resident set size now, bytes */
	rss: number;
	/** the highest resident set size so far (VmHWM), bytes */
	hwm: number;
}

/** A process's memory from /proc (Linux); undefined once it has ended. */
export function memoryOf(pid: number | 'self'): Memory | undefined {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
		return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
	} catch {
		return undefined;
	}
}
