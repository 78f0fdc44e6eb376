import type { INodeProperties } from 'n8n-workflow';

/** Submit's Composition: how the presenter is placed in the frame (read by generateBody.ts). */
export const compositionField: INodeProperties = {
	displayName: 'Composition',
	name: 'composition',
	type: 'collection',
	placeholder: 'Add Composition Setting',
	default: {},
	description:
		'How the presenter is placed in the frame. Orientation is required once any setting is added.',
	displayOptions: { show: { operation: ['submit'] } },
	options: [
		{
			displayName: 'Background Color (Circle)',
			name: 'backgroundColor',
			type: 'color',
			default: '#FFFFFF',
			description: 'Colour inside the circle frame (frame style Circle only)',
		},
		{
			displayName: 'Border Color (Circle)',
			name: 'borderColor',
			type: 'color',
			default: '#000000',
			description: 'Colour of the circle frame (frame style Circle only)',
		},
		{
			displayName: 'Crop (Rectangle)',
			name: 'crop',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 1,
			description:
				'Crop factor of the presenter from the bottom, in (0, 1] (frame style Rectangle only)',
		},
		{
			displayName: 'Frame Style',
			name: 'frameStyle',
			type: 'options',
			options: [
				{ name: 'Rectangle', value: 'rectangle', description: 'The presenter fills the frame' },
				{
					name: 'Circle',
					value: 'circle',
					description: 'A small presenter in a circle in one corner',
				},
			],
			default: 'rectangle',
			description:
				'Rectangle: the presenter fills the frame; Circle: a small presenter in a circle in one corner',
		},
		{
			displayName: 'Location (Circle)',
			name: 'location',
			type: 'options',
			options: [
				{ name: 'Upper Left', value: 'upperleft' },
				{ name: 'Upper Right', value: 'upperright' },
				{ name: 'Lower Left', value: 'lowerleft' },
				{ name: 'Lower Right', value: 'lowerright' },
			],
			default: 'upperleft',
			description: 'Corner of the circle (frame style Circle only)',
		},
		{
			displayName: 'Orientation',
			name: 'orientation',
			type: 'options',
			options: [
				{ name: 'Horizontal', value: 'horizontal' },
				{
					name: 'Vertical',
					value: 'vertical',
					description: 'Swaps width and height, e.g. 720x1280',
				},
			],
			default: 'horizontal',
			description: 'Landscape, or portrait (width and height swapped, e.g. 720x1280)',
		},
		{
			displayName: 'Scale (Rectangle)',
			name: 'scale',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 1,
			description: 'Size factor of the presenter, in (0, 1] (frame style Rectangle only)',
		},
		{
			displayName: 'Shift (Rectangle)',
			name: 'shift',
			type: 'number',
			typeOptions: { minValue: -1, maxValue: 1, numberPrecision: 2 },
			default: 0,
			description:
				'Horizontal shift of the presenter from the centre, in [-1, 1]; negative moves left (frame style Rectangle only)',
		},
	],
};
