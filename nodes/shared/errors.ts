import {
	NodeApiError,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import { providerMessage, UNREADABLE, type Failure } from './failure';

const SECRET_FIELDS = ['apiKey', 'token', 'password', 'sessionToken', 'userKey'];

/** Replaces every secret of the credentials found in `text` by ***. */
export function redactSecrets(
	text: string,
	credentials: ICredentialDataDecryptedObject | undefined,
): string {
	if (!credentials) return text;
	let out = text;
	for (const field of SECRET_FIELDS) {
		const secret = credentials[field];
		if (typeof secret === 'string' && secret.length >= 4) out = out.split(secret).join('***');
	}
	return out;
}

/**
 * An error about a job this node knows of: its id stays in the error, so a created job is never
 * lost.
 */
export function jobError(
	node: INode,
	message: string,
	options: { jobId?: string; itemIndex?: number; description?: string },
): NodeOperationError {
	const error = new NodeOperationError(node, message, {
		itemIndex: options.itemIndex,
		description: options.description,
	});
	if (options.jobId) error.context.jobId = options.jobId;
	return error;
}

/** A provider accepted a submit (2xx, no refusal) but its answer holds no id for the job. */
export function noJobIdError(
	node: INode,
	itemIndex: number,
	said: string,
	answer: unknown,
	description: string,
): NodeOperationError {
	return new NodeOperationError(node, `${said}: ${JSON.stringify(answer).slice(0, 300)}`, {
		itemIndex,
		description,
	});
}

/** A NodeApiError this layer built: its message already names the provider and the job. */
export class ProviderError extends NodeApiError {
	constructor(...args: ConstructorParameters<typeof NodeApiError>) {
		super(...args);
		// n8n tells its error kinds apart by name (workflow-execute checks "NodeApiError").
		this.name = 'NodeApiError';
	}
}

/**
 * The provider refused the request inside a successful (2xx) answer (`success: false`, a non-zero
 * code): not a transport failure, and its `answer` is the body it sent.
 */
export class ProviderRefusal extends ProviderError {
	answer: unknown;
}

/** What the failed request was, for wording its error. */
export interface FailedCall {
	displayName: string;
	itemIndex?: number;
	jobId?: string;
	/** A job-creating submit, which was not repeated after an answer that may hide a job. */
	submit: boolean;
	hints?: Partial<Record<number, string>>;
}

/** A failure in words: the provider's, its status, the job, and what to do. Secrets removed. */
export function apiError(
	node: INode,
	call: FailedCall,
	credentials: ICredentialDataDecryptedObject,
	failure: Failure,
): ProviderError {
	const said = providerMessage(failure.body) ?? failure.message;
	const job = call.jobId ? ` (job ${call.jobId})` : '';
	let message: string;
	let hint: string | undefined;
	if (failure.status === undefined && failure.code === undefined) {
		// Not an answer and not a network failure: n8n refused before sending (e.g. the credential's
		// token exchange failed), and its message says why.
		message = `${call.displayName}${job}: ${failure.message}`;
		hint = 'Check the credential.';
	} else if (failure.status === undefined) {
		message =
			failure.code === UNREADABLE
				? `${call.displayName} sent an answer that could not be read${job}: ${failure.message}`
				: `Could not reach ${call.displayName}${job}: ${failure.code ?? failure.message}`;
		hint = call.submit
			? 'The submit was not repeated: the provider may have received it. Check its job list ' +
				'before submitting again.'
			: "Check the credential's Base URL and that the provider is reachable.";
	} else if (failure.status >= 300 && failure.status < 400) {
		message = `${call.displayName} redirected the request (HTTP ${failure.status})${job}`;
		hint =
			"Credentials are only sent to the credential's Base URL: set it to the address the " +
			'provider redirects to.';
	} else {
		message = `${call.displayName} answered HTTP ${failure.status}${job}${said ? `: ${said}` : ''}`;
		hint = call.hints?.[failure.status] ?? defaultHint(failure.status, call);
	}
	return providerError(ProviderError, node, call, credentials, {
		message,
		hint,
		status: failure.status,
	});
}

/**
 * The refusal in a 2xx answer of HTTP `status`, in the provider's words as its bodyError read them.
 */
export function refusalError(
	node: INode,
	call: FailedCall,
	credentials: ICredentialDataDecryptedObject,
	refusal: { status: number; said: string; answer: unknown },
): ProviderRefusal {
	const job = call.jobId ? ` (job ${call.jobId})` : '';
	const said = refusal.said ? `: ${refusal.said}` : '';
	const message = `${call.displayName} refused the request${job}${said}`;
	const error = providerError(ProviderRefusal, node, call, credentials, {
		message,
		hint: call.hints?.[refusal.status],
		status: refusal.status,
	});
	error.answer = refusal.answer;
	return error;
}

function providerError<E extends ProviderError>(
	Kind: new (...args: ConstructorParameters<typeof NodeApiError>) => E,
	node: INode,
	call: FailedCall,
	credentials: ICredentialDataDecryptedObject,
	words: { message: string; hint?: string; status?: number },
): E {
	const safeMessage = redactSecrets(words.message, credentials);
	const httpCode = words.status === undefined ? undefined : String(words.status);
	const error = new Kind(
		node,
		// n8n keeps this object and lists its message in the error details: redacted too
		{ message: safeMessage, httpCode: httpCode ?? null } as JsonObject,
		{
			message: safeMessage,
			description: words.hint && redactSecrets(words.hint, credentials),
			httpCode,
			itemIndex: call.itemIndex,
		},
	);
	// n8n swaps a message that mentions a network error code (ECONNRESET…) for a generic sentence,
	// which would drop the provider's name and the job's id.
	error.message = safeMessage;
	if (call.jobId) error.context.jobId = call.jobId;
	error.context.providerStatus = words.status ?? null;
	return error;
}

function defaultHint(status: number, call: FailedCall): string | undefined {
	if (status === 401 || status === 403)
		return 'Check the credential: the provider did not accept it for this request.';
	if (status === 404)
		return call.jobId
			? 'The provider does not know this job: check the jobId and the credential (jobs belong to ' +
					'one account).'
			: undefined;
	if (status === 429)
		return (
			'The provider kept answering "too many requests"; try again later or lower the submit ' +
			'rate.'
		);
	if (status >= 500) {
		return call.submit
			? 'The submit was not repeated, because the provider may have created the job anyway. ' +
					'Check its job list before submitting again.'
			: 'The provider failed several times in a row; try again later.';
	}
	return undefined;
}
