import type { IExecuteFunctions } from 'n8n-workflow';

import type { InputCheck } from './validation';

export interface BinaryInputSpec {
	/** What the file must be: its MIME type must start with `<kind>/`. */
	kind: 'image' | 'video';
	/**
	 * Largest file sent inline (base64 makes the request a third larger, and n8n holds it in memory).
	 */
	maxBytes: number;
	/** The display name of the source option to point users at instead, e.g. 'Image Source'. */
	sourceLabel: string;
}

/**
 * The file in the item's binary property named by `binaryPropertyName`, checked before anything is
 * sent: present, of the right kind, not empty, not over the cap (read from the stored size first,
 * so an oversize file kept on disk is refused without loading it).
 */
export async function readBinaryInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	check: InputCheck,
	spec: BinaryInputSpec,
): Promise<Buffer> {
	const parameter = 'binaryPropertyName';
	const name = check.text(parameter, ctx.getNodeParameter(parameter, itemIndex, 'data'));
	const present = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
	if (!present.includes(name)) {
		check.fail(
			parameter,
			`names the binary field "${name}", but the input item has ` +
				`${present.length ? `only ${present.map((p) => `"${p}"`).join(', ')}` : 'no binary data'}`,
			`Point it at the field that holds the ${spec.kind}, or use ${spec.sourceLabel} "URL".`,
		);
	}
	const binary = ctx.helpers.assertBinaryData(itemIndex, name);
	const mimeType = (binary.mimeType ?? '').toLowerCase();
	const file = binary.fileName ? `"${binary.fileName}" ` : '';
	if (!mimeType.startsWith(`${spec.kind}/`)) {
		check.fail(
			parameter,
			`holds ${file}of type ${mimeType || 'unknown'}, not ` +
				`${spec.kind === 'image' ? 'an image' : 'a video'}`,
		);
	}
	const tooLarge = (bytes: number) =>
		check.fail(
			parameter,
			`holds ${file}of ${megabytes(bytes)}; ${spec.kind}s sent inline may be at most ` +
				`${megabytes(spec.maxBytes)}`,
			`Make the ${spec.kind} smaller, or upload it and use ${spec.sourceLabel} "URL".`,
		);
	if (typeof binary.bytes === 'number' && binary.bytes > spec.maxBytes) tooLarge(binary.bytes);
	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, name);
	if (buffer.length === 0) check.fail(parameter, `holds ${file}with no bytes`);
	if (buffer.length > spec.maxBytes) tooLarge(buffer.length);
	return buffer;
}

function megabytes(bytes: number): string {
	return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;
}
