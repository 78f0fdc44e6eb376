import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { getConfigurations } from '../transport';

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await getConfigurations<IDataObject>(ctx, i);
}
