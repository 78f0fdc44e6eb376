import type { IDataObject, IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { InputCheck } from '../../shared/validation';

/**
 * The options of both kvid APIs are tables of fields, each for some models and modes: the editor
 * gets one `options` collection per model and mode, and an item's body only the fields of its own.
 */
export interface TableField<Model, Mode> {
	name: string;
	/** kvid's body field */
	field: string;
	property(model: Model, mode: Mode): INodeProperties;
	read(check: InputCheck, value: unknown, model: Model, mode: Mode): unknown;
}

export const path = (name: string) => `options.${name}`;

export function whole(
	check: InputCheck,
	name: string,
	value: unknown,
	range: { min?: number; max?: number } = {},
): number {
	return check.number(path(name), value, { ...range, integer: true });
}

export function bool(check: InputCheck, name: string, value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	return check.fail(path(name), `must be true or false; got ${JSON.stringify(value)}`);
}

export const choices = (values: readonly string[]) =>
	values.map((value) => ({ name: value, value }));

/**
 * One `options` collection per model and mode, each shown only for its pair (`show`), so the editor
 * offers exactly the fields that model takes in that mode. They share the name `options`, which is
 * what saved workflows store.
 */
export function collectionsPerModelAndMode<Model extends string, Mode extends string>(
	models: readonly Model[],
	modes: readonly Mode[],
	show: (model: Model, mode: Mode) => IDisplayOptions['show'],
	optionsFor: (model: Model, mode: Mode) => INodeProperties[],
): INodeProperties[] {
	return models.flatMap((model) =>
		modes.map(
			(mode): INodeProperties => ({
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: show(model, mode) },
				options: optionsFor(model, mode),
			}),
		),
	);
}

/**
 * kvid's body fields for the options set on an item, each checked by its field. Keys that belong
 * to another model or mode (left over after switching the model in the editor, which keeps the
 * collection's values) are not sent: the other model would refuse them.
 */
export function bodyOf<Model, Mode, F extends TableField<Model, Mode>>(
	fields: F[],
	applies: (f: F) => boolean,
	check: InputCheck,
	options: IDataObject,
	model: Model,
	mode: Mode,
): IDataObject {
	const body: IDataObject = {};
	for (const f of fields) {
		if (!applies(f)) continue;
		const value = options[f.name];
		if (value === undefined || value === null || value === '') continue;
		body[f.field] = f.read(check, value, model, mode) as IDataObject[string];
	}
	return body;
}
