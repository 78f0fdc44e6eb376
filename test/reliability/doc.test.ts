/** test/RELIABILITY.md lists exactly the cases this suite runs. */
import { readFileSync } from 'node:fs';

import { DOC, documentWithTables } from './table';

it('test/RELIABILITY.md is up to date with the suite (else: npx tsx test/reliability/table.ts --write)', () => {
	const current = readFileSync(DOC, 'utf8');
	expect(current).toBe(documentWithTables(current));
});
