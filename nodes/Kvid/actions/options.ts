import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { InputCheck } from '../../shared/validation';
import { MODES, type KvidMode } from '../modes';
import { type KvidModel, MODELS } from './legacyModels';
import { OPTION_FIELDS, type OptionField } from './legacyOptions';
import { bodyOf, collectionsPerModelAndMode } from './optionTable';

const applies = (f: OptionField, model: KvidModel, mode: KvidMode) =>
	f.models.includes(model) && f.modes.includes(mode);

/** One `options` collection per model and mode of the legacy API. */
export function optionsCollections(): INodeProperties[] {
	return collectionsPerModelAndMode(
		MODELS,
		MODES,
		(model, mode) => ({
			operation: ['submit'],
			apiVersion: ['legacy'],
			model: [model],
			mode: [mode],
		}),
		(model, mode) =>
			OPTION_FIELDS.filter((f) => applies(f, model, mode)).map((f) => f.property(model, mode)),
	);
}

/** kvid's body fields for the options set on an item, each checked against the model's range. */
export function optionFields(
	check: InputCheck,
	options: IDataObject,
	model: KvidModel,
	mode: KvidMode,
): IDataObject {
	return bodyOf(OPTION_FIELDS, (f) => applies(f, model, mode), check, options, model, mode);
}
