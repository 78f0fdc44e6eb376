import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { credentialsOf } from '../shared/tokenSession';
import type { InputCheck } from '../shared/validation';

/**
 * The credential's (and the item option's) names for the three ways to name a credit pool, and
 * kvid's fields.
 */
export const CREDIT_POOL_FIELDS = {
	productId: 'product_id',
	productCode: 'product_code',
	email: 'email',
} as const;
type CreditPoolKind = keyof typeof CREDIT_POOL_FIELDS;
const KINDS = Object.keys(CREDIT_POOL_FIELDS) as CreditPoolKind[];

const present = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * The one credit-pool field every generate body carries (kvid refuses none or several): the item's
 * `options.creditPool` / `options.creditPoolValue` where set, else the credential's. A value that
 * names several pools (a list, or text with commas or spaces) is refused before any request, so a
 * render is never billed to a pool the user did not mean.
 */
export async function creditPoolField(
	ctx: IExecuteFunctions,
	check: InputCheck,
	options: IDataObject,
): Promise<IDataObject> {
	const credentials = await credentialsOf(ctx, 'kvidApi');
	const overridden = present(options.creditPoolValue);
	if (present(options.creditPool) && !overridden) {
		check.fail(
			'options.creditPoolValue',
			'is required when options.creditPool is set: give the product ID, product code or email of ' +
				'the pool',
		);
	}
	const [kindName, valueName] = overridden
		? ['options.creditPool', 'options.creditPoolValue']
		: ['creditPool', 'creditPoolValue'];
	const source = overridden ? '' : '(in the kvid.ai API credential) ';
	const rawKind =
		overridden && present(options.creditPool) ? options.creditPool : credentials.creditPool;
	const rawValue = overridden ? options.creditPoolValue : credentials.creditPoolValue;
	const several =
		'names more than one credit pool; kvid bills a render to exactly one product ID, product ' +
		'code or email';

	if (Array.isArray(rawValue) && rawValue.length > 1) check.fail(valueName, `${source}${several}`);
	const value = String((Array.isArray(rawValue) ? rawValue[0] : rawValue) ?? '').trim();
	if (!value) {
		check.fail(
			valueName,
			`${source}is empty: the generation API bills every render to a credit pool`,
			"Enter the pool's product ID, product code or email in the kvid.ai API credential (Credit " +
				"Pool, Credit Pool Value), or in the item's options.",
		);
	}
	if (Array.isArray(rawKind) && rawKind.length > 1) check.fail(kindName, `${source}${several}`);
	const kind = check.oneOf(kindName, Array.isArray(rawKind) ? rawKind[0] : rawKind, KINDS);
	if (/[\s,;]/.test(value))
		check.fail(valueName, `${source}${several}; got ${JSON.stringify(value.slice(0, 60))}`);
	if (kind === 'email' && !/^[^@]+@[^@]+\.[^@]+$/.test(value))
		check.fail(
			valueName,
			`${source}must be an email address; got ${JSON.stringify(value.slice(0, 60))}`,
		);
	return { [CREDIT_POOL_FIELDS[kind]]: value };
}
