import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { cdnVideoRequest } from '../transport';

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await cdnVideoRequest<IDataObject>(ctx, 'GET', '/configurations', { itemIndex: i });
}
