/**
 * What the editor and n8n's AI Agent read from each node's description. The subtitle n8n draws under
 * a node on the canvas is the operation as the Operation menu writes it (an n8n expression over the
 * node's parameters, evaluated here as the plain JavaScript it is). Every node is usable as a tool,
 * and says what an agent needs: what Submit returns, and each Submit field's meaning.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { AiStudios } from '../../nodes/AiStudios/AiStudios.node';
import { CdnVideo } from '../../nodes/CdnVideo/CdnVideo.node';
import { HiDream } from '../../nodes/HiDream/HiDream.node';
import { Kvid } from '../../nodes/Kvid/Kvid.node';

function subtitle(description: INodeTypeDescription, parameters: Record<string, unknown>): string {
	const m = /^=\{\{([\s\S]*)\}\}$/.exec(String(description.subtitle));
	if (!m) throw new Error(`subtitle is not an expression: ${description.subtitle}`);
	return new Function('$parameter', `return (${m[1]});`)(parameters) as string;
}

/** The Operation menu's option names, by value. */
function menu(description: INodeTypeDescription): Array<[string, string]> {
	const field = description.properties.find((p: INodeProperties) => p.name === 'operation')!;
	return (field.options as Array<{ name: string; value: string }>).map((o) => [o.value, o.name]);
}

test.each([new AiStudios(), new CdnVideo()].map((n) => [n.description.displayName, n.description]))(
	'%s: the subtitle is the operation as the menu writes it',
	(_name, description) => {
		const operations = menu(description as INodeTypeDescription);
		expect(operations.map(([v]) => v)).toEqual(expect.arrayContaining(['submit', 'getStatus', 'getResult']));
		for (const [value, name] of operations) expect(subtitle(description as INodeTypeDescription, { operation: value })).toBe(name);
		expect(subtitle(description as INodeTypeDescription, { operation: 'getStatus' })).toBe('Get Status');
	},
);

test('HiDream: the subtitle names the operation, and for Submit the task as its menu writes it', () => {
	const { description } = new HiDream();
	for (const [value, name] of menu(description)) if (value !== 'submit') expect(subtitle(description, { operation: value, task: 'textToVideo' })).toBe(name);
	expect(subtitle(description, { operation: 'submit', task: 'videoStylization' })).toBe('Submit: Video Stylization');
	expect(subtitle(description, { operation: 'submit', task: 'imageToVideo' })).toBe('Submit: Image to Video');
});

test('kvid.ai: the subtitle names the operation, and for Submit the mode and model as their menus write them', () => {
	const { description } = new Kvid();
	expect(subtitle(description, { operation: 'getStatus', mode: 'textToVideo' })).toBe('Get Status');
	expect(subtitle(description, { operation: 'getResult' })).toBe('Get Result');
	expect(subtitle(description, { operation: 'submit', mode: 'imageToVideo', model: 'seedance' })).toBe('Submit: Image to Video, Seedance (V2)');
	expect(subtitle(description, { operation: 'submit', mode: 'textToVideo', model: 'wan' })).toBe('Submit: Text to Video, Wan (V1)');
	// a model given by expression (any full model id) is shown as given
	expect(subtitle(description, { operation: 'submit', mode: 'textToVideo', model: 'vendor/model-x' })).toBe('Submit: Text to Video, vendor/model-x');
});

const nodes = [new AiStudios(), new CdnVideo(), new HiDream(), new Kvid()].map((n) => [n.description.displayName, n.description] as const);

test.each(nodes)('%s: usable as an AI Agent tool, with a description that says Submit returns a job ID and each Submit field what it means', (_name, description) => {
	expect(description.usableAsTool).toBe(true);
	// with "Set Automatically", the agent's tool description is the node's description
	expect(description.description).toMatch(/Submit returns a job ID at once/);
	const submitFields = description.properties.filter((p) => ((p.displayOptions?.show?.operation ?? []) as string[]).includes('submit'));
	// a collection is described by its entries
	const fields = submitFields.flatMap((p) =>
		p.type === 'collection' ? (p.options as INodeProperties[]).map((o) => ({ ...o, name: `${p.name}.${o.name}` })) : [p],
	);
	const undescribed = fields.filter((p) => !p.description && !p.hint).map((p) => p.name);
	expect(undescribed).toEqual([]);
});
