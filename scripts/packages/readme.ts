/**
 * Each single package's README: scripts/packages/README.template.md, filled from the compiled node
 * and credential (fields, operations, which ways of waiting the node offers) and the examples the
 * package carries. `{{key}}` placeholders only; n8n expressions (`{{ $json.x }}`) pass through.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { INodeProperties } from 'n8n-workflow';

import { COMBINED_PACKAGE, REPO_ROOT, type SinglePackage } from './config';
import { findProperty, operations, type ProviderFacts } from './compiled';
import type { Workflow } from './sources';

const TEMPLATE = path.join(__dirname, 'README.template.md');

const cell = (text: unknown) => String(text ?? '').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function credentialTable(properties: INodeProperties[]): string {
	const rows = properties
		.filter((p) => p.type !== 'hidden' && p.type !== 'notice')
		.map((p) => {
			const secret = p.typeOptions?.password ? ' (secret)' : '';
			const byDefault = p.default === '' || p.default === undefined ? '' : ` Default: \`${String(p.default)}\`.`;
			const choices = (p.options as Array<{ name: string; value: unknown }> | undefined)?.map((o) => `\`${String(o.value)}\` (${o.name})`);
			const options = choices ? ` One of ${choices.join(', ')}.` : '';
			return `| ${cell(p.displayName)} | \`${p.name}\`${secret} | ${cell(p.description)}${options}${byDefault} |`;
		});
	return ['| Field | Name | Notes |', '|---|---|---|', ...rows].join('\n');
}

/** Node parameters (options of collections included) whose text points at the execution's resume URL. */
function resumeUrlFields(facts: ProviderFacts): string[] {
	const found = new Set<string>();
	const visit = (props: Array<Record<string, unknown>>) => {
		for (const p of props) {
			const text = `${String(p.description ?? '')} ${String(p.placeholder ?? '')}`;
			if (text.includes('$execution.resumeUrl') && typeof p.displayName === 'string') found.add(p.displayName);
			if (Array.isArray(p.options)) visit(p.options as Array<Record<string, unknown>>);
			if (Array.isArray(p.values)) visit(p.values as Array<Record<string, unknown>>);
		}
	};
	for (const d of facts.descriptions) visit(d.properties as unknown as Array<Record<string, unknown>>);
	return [...found];
}

/** The first example (by file name) with a node whose parameters match. */
function exampleWith(examples: Record<string, Workflow>, match: (parameters: Record<string, unknown>) => boolean): string | undefined {
	return Object.keys(examples).find((file) => examples[file].nodes.some((n) => match((n.parameters ?? {}) as Record<string, unknown>)));
}

function waitingPatterns(facts: ProviderFacts, examples: Record<string, Workflow>): string {
	const ways: string[] = [];
	const loop = Object.keys(examples).find((f) => f.includes('polling-loop'));
	ways.push(
		'**Polling loop**: Submit → Wait → Get Status → IF `{{ $json.status }}` is `completed` → Get Result; ' +
			'`failed` → Stop And Error; otherwise back to Wait.' + (loop ? ` See \`examples/${loop}\`.` : ''),
	);
	if (findProperty(facts.descriptions, 'routeByStatus')) {
		ways.push('**Route by Status** (a Get Status option): outputs *Completed*, *Failed* and *Running*; connect Running back to the Wait node, no IF node needed.');
	}
	if (findProperty(facts.descriptions, 'waitForCompletion')) {
		ways.push('**Wait for Completion** (a Submit option): the node submits every item, then polls them together until each is done (or its timeout ends) and returns what Get Result returns.');
	}
	const waitMethod = findProperty(facts.descriptions, 'waitMethod');
	if ((waitMethod?.options as Array<{ value?: unknown }> | undefined)?.some((o) => o.value === 'callback')) {
		const example = exampleWith(examples, (p) => p.waitMethod === 'callback');
		ways.push(
			"**Wait Method: Callback** (with Wait for Completion): the node gives the provider the execution's resume URL, the execution waits in n8n's database and resumes when the provider calls back." +
				(example ? ` See \`examples/${example}\`.` : ''),
		);
	}
	const callbackFields = resumeUrlFields(facts);
	if (callbackFields.length > 0) {
		// the example whose Wait node the provider resumes, not one where the node waits itself
		const example = exampleWith(examples, (p) => p.resume === 'webhook');
		ways.push(
			`**Callback to a Wait node**: set *${callbackFields.join('* or *')}* to \`{{ $execution.resumeUrl }}\` and follow Submit with a Wait node set to *Resume: On Webhook Call*.` +
				(example ? ` See \`examples/${example}\`.` : ''),
		);
	}
	return ways.map((w, i) => `${i + 1}. ${w}`).join('\n');
}

/**
 * Pictures of one provider's node in a README (e.g. from `npm run screenshots`): the local images
 * whose file name contains one of `names`, as absolute links under `rawBase` (npm shows a README
 * without the repository's files around it).
 */
export function providerPictures(readme: string, names: string[], rawBase: string): string {
	const wanted = names.map((n) => n.toLowerCase());
	const found = [...readme.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)]
		.filter(([, , src]) => !/^[a-z]+:/i.test(src) && wanted.some((n) => path.basename(src).toLowerCase().includes(n)))
		.map(([, alt, src]) => `![${alt}](${rawBase}/${src.replace(/^\.\//, '')})`);
	return [...new Set(found)].join('\n\n');
}

export function renderReadme(pkg: SinglePackage, facts: ProviderFacts, examples: Record<string, Workflow>, repository: string): string {
	const base = facts.descriptions[0];
	const ops = operations(facts.descriptions)
		.map((o) => `| ${cell(o.name)} | \`${o.value}\` | ${cell(o.description)} |`)
		.join('\n');
	const values: Record<string, string> = {
		package: pkg.name,
		provider: pkg.provider,
		providerUrl: pkg.providerUrl,
		// follows a colon: "…AI Studios: render chroma-key videos…" (an acronym keeps its capitals)
		description: base.description.replace(/\.$/, '').replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase()),
		displayName: base.displayName,
		nodeName: facts.nodeName,
		credentialName: facts.credential.name,
		credentialDisplayName: facts.credential.displayName,
		credentialFields: credentialTable(facts.credential.properties),
		operations: `| Operation | Value | What it does |\n|---|---|---|\n${ops}`,
		waiting: waitingPatterns(facts, examples),
		examples: Object.entries(examples)
			.map(([file, wf]) => `- \`examples/${file}\`${wf.name ? `: ${wf.name}` : ''}`)
			.join('\n'),
		combined: COMBINED_PACKAGE,
		repository,
		pictures: providerPictures(
			fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'),
			[pkg.nodeFolder, facts.nodeName],
			`${repository.replace('https://github.com/', 'https://raw.githubusercontent.com/')}/HEAD`,
		),
	};
	const text = fs.readFileSync(TEMPLATE, 'utf8').replace(/\{\{(\w+)\}\}/g, (whole, key: string) => {
		if (!(key in values)) throw new Error(`README.template.md: unknown placeholder ${whole}`);
		return values[key];
	});
	return text.replace(/\n{3,}/g, '\n\n'); // an empty block (no pictures) leaves no gap
}
