import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { inputCheck } from '../../shared/validation';

export const SCRIPT_MAX = 3000;
export const VIDEO_NAME_MAX = 35;
export const CIRCLE_LOCATIONS = ['upperleft', 'upperright', 'lowerleft', 'lowerright'] as const;
const ORIENTATIONS = ['horizontal', 'vertical'] as const;
const FRAME_STYLES = ['rectangle', 'circle'] as const;
const SIZES = ['SD', 'HD', 'FullHD', '4K'] as const;

/** The generate request body for item `i`, validated against the seed's limits. */
export function generateBody(ctx: IExecuteFunctions, i: number): IDataObject {
	const check = inputCheck(ctx.getNode(), i);
	const param = (name: string, fallback: unknown = '') => ctx.getNodeParameter(name, i, fallback);

	const actor: IDataObject = {
		name: check.text('actorName', param('actorName')),
		version: check.text('actorVersion', param('actorVersion', 'latest') || 'latest'),
		shot: check.text('actorShot', param('actorShot', 'waist')),
	};
	const style = String(param('actorStyle') ?? '');
	if (style) actor.style = style;
	const size = param('actorSize');
	if (size) actor.size = check.oneOf('actorSize', size, SIZES);

	const body: IDataObject = {
		script: check.text('script', param('script'), { max: SCRIPT_MAX }),
		actor,
		voice: check.text('voice', param('voice')),
		background: check.text('background', param('background', 'green_screen') || 'green_screen'),
	};
	const emotion = String(param('emotion') ?? '');
	if (emotion) body.emotion = emotion;
	const videoName = String(param('videoName') ?? '');
	if (videoName) body.video_name = check.text('videoName', videoName, { max: VIDEO_NAME_MAX });

	const composition = param('composition', {}) as IDataObject;
	if (Object.keys(composition).length) Object.assign(body, compositionFields(check, composition));
	return body;
}

/**
 * `composition` holds orientation, frame style and the rectangle's scale/crop/shift; the circle's
 * corner and colours go in the top-level `circle` object, which is how the doc's generate table and
 * its task list (field `circle` = location, background_color, border_color) describe them.
 */
function compositionFields(check: ReturnType<typeof inputCheck>, c: IDataObject): IDataObject {
	if (c.orientation === undefined || c.orientation === '') {
		check.fail('composition.orientation', 'is required when any composition setting is set');
	}
	const frameStyle = check.oneOf(
		'composition.frameStyle',
		c.frameStyle ?? 'rectangle',
		FRAME_STYLES,
	);
	const composition: IDataObject = {
		orientation: check.oneOf('composition.orientation', c.orientation, ORIENTATIONS),
		frame_style: frameStyle,
	};
	const rectangleOnly = ['scale', 'crop', 'shift'] as const;
	const circleOnly = ['location', 'backgroundColor', 'borderColor'] as const;
	for (const name of frameStyle === 'circle' ? rectangleOnly : circleOnly) {
		if (c[name] !== undefined) {
			check.fail(
				`composition.${name}`,
				`applies only to frame style "${frameStyle === 'circle' ? 'rectangle' : 'circle'}"; ` +
					`remove it or change the frame style`,
			);
		}
	}
	const fields: IDataObject = { composition };
	if (frameStyle === 'rectangle') {
		if (c.scale !== undefined)
			composition.scale = check.number('composition.scale', c.scale, {
				min: 0,
				minExclusive: true,
				max: 1,
			});
		if (c.crop !== undefined)
			composition.crop = check.number('composition.crop', c.crop, {
				min: 0,
				minExclusive: true,
				max: 1,
			});
		if (c.shift !== undefined)
			composition.shift = check.number('composition.shift', c.shift, { min: -1, max: 1 });
	} else {
		fields.circle = {
			location: check.oneOf('composition.location', c.location ?? 'upperleft', CIRCLE_LOCATIONS),
			background_color: check.colour('composition.backgroundColor', c.backgroundColor ?? '#FFFFFF'),
			border_color: check.colour('composition.borderColor', c.borderColor ?? '#000000'),
		};
	}
	return fields;
}
