/**
 * Bad input the unit tests do not already cover (test/unit/*.test.ts have their own tables: see
 * test/RELIABILITY.md). Each must fail naming the parameter, before any request. Data only, so
 * `table.ts` can list them in test/RELIABILITY.md.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { AdapterName } from './nodes';

export interface BadInput {
	provider: AdapterName;
	/** the adapter (its column) where a node has two, e.g. `aiStudios v3`; default: the provider's first */
	node?: string;
	/** what is wrong, for the table */
	what: string;
	/** the parameter the error must name */
	parameter: string;
	/** parameters over the adapter's submit parameters (or a whole operation when `operation` is set) */
	params: IDataObject;
	items?: INodeExecutionData[];
}

const file = (mimeType: string, bytes = Buffer.from('not really a file')): INodeExecutionData[] => [
	{ json: {}, binary: { data: { data: bytes.toString('base64'), mimeType, fileName: 'input.bin' } } },
];

const emoji = (n: number) => '🎬'.repeat(n);
const i2v = { mode: 'imageToVideo', imageUrl: 'https://img.example/first-frame.jpg' };
const t2v = { task: 'textToVideo', prompt: 'A red fox runs through fresh snow' };
const hdI2v = { task: 'imageToVideo', imageSource: 'url', imageUrl: 'https://img.example/first-frame.jpg' };

export const BAD_INPUTS: BadInput[] = [
	// AI Studios
	{ provider: 'aiStudios', what: 'text of 5001 characters, each a surrogate pair (counted as characters, not UTF-16 units)', parameter: 'text', params: { text: emoji(5001) } },
	{ provider: 'aiStudios', what: 'text of 1 MB', parameter: 'text', params: { text: 'a'.repeat(1024 * 1024) } },
	{ provider: 'aiStudios', what: 'language code cut short ("en-")', parameter: 'language', params: { language: 'en-' } },
	{ provider: 'aiStudios', what: 'language written out in Korean', parameter: 'language', params: { language: '한국어' } },
	{ provider: 'aiStudios', what: 'webhook "javascript:alert(1)"', parameter: 'options.webhook', params: { options: { webhook: 'javascript:alert(1)' } } },
	{ provider: 'aiStudios', what: 'webhook "http://" without a host', parameter: 'options.webhook', params: { options: { webhook: 'http://' } } },
	{ provider: 'aiStudios', what: 'jobId with "#"', parameter: 'jobId', params: { operation: 'getStatus', jobId: 'abc#def' } },
	{ provider: 'aiStudios', what: 'jobId with an encoded slash ("%2F")', parameter: 'jobId', params: { operation: 'getResult', jobId: 'abc%2Fdef' } },
	{ provider: 'aiStudios', what: 'jobId with a tab', parameter: 'jobId', params: { operation: 'getStatus', jobId: '\tabc' } },
	{ provider: 'aiStudios', what: 'jobId with a no-break space (U+00A0)', parameter: 'jobId', params: { operation: 'getResult', jobId: 'abc\u00a0def' } },
	{ provider: 'aiStudios', what: 'jobId of 201 characters', parameter: 'jobId', params: { operation: 'getStatus', jobId: 'k'.repeat(201) } },
	// AI Studios v3 (the unit tests in aiStudiosV3Auth.test.ts cover the plain cases)
	{ provider: 'aiStudios', node: 'aiStudios v3', what: 'text of 5001 emoji (surrogate pairs)', parameter: 'text', params: { text: emoji(5001) } },
	{ provider: 'aiStudios', node: 'aiStudios v3', what: 'resolution "1080p" (the label, not the value)', parameter: 'options.resolution', params: { options: { resolution: '1080p' } } },
	{ provider: 'aiStudios', node: 'aiStudios v3', what: 'resolution "4K" (wrong case)', parameter: 'options.resolution', params: { options: { resolution: '4K' } } },
	{ provider: 'aiStudios', node: 'aiStudios v3', what: 'webhook URL "javascript:alert(1)"', parameter: 'options.webhookUrl', params: { options: { webhookUrl: 'javascript:alert(1)' } } },
	{ provider: 'aiStudios', node: 'aiStudios v3', what: 'workspace id "%2e%2e"', parameter: 'options.workspaceId', params: { options: { workspaceId: '%2e%2e' } } },
	{ provider: 'aiStudios', node: 'aiStudios v3', what: 'workspace id with a space', parameter: 'options.workspaceId', params: { options: { workspaceId: 'ws 01' } } },
	{ provider: 'aiStudios', node: 'aiStudios v3', what: 'clothes of spaces only (chroma key)', parameter: 'clothes', params: { clothes: '   ' } },
	{ provider: 'aiStudios', node: 'aiStudios v3', what: 'delete a project id ".."', parameter: 'jobId', params: { operation: 'delete', apiVersion: 'v3', jobId: '..' } },
	{ provider: 'aiStudios', node: 'aiStudios v3', what: 'getAll limit 1.5', parameter: 'limit', params: { operation: 'getAll', apiVersion: 'v3', returnAll: false, limit: 1.5 } },
	// CDNvideo
	{ provider: 'cdnVideo', what: 'script of 3001 characters, each a surrogate pair', parameter: 'script', params: { script: emoji(3001) } },
	{ provider: 'cdnVideo', what: 'video name of 36 emoji', parameter: 'videoName', params: { videoName: emoji(36) } },
	{ provider: 'cdnVideo', what: 'rename to an empty name', parameter: 'videoName', params: { operation: 'rename', jobId: 'job-1', videoName: '' } },
	{ provider: 'cdnVideo', what: 'rename to spaces only', parameter: 'videoName', params: { operation: 'rename', jobId: 'job-1', videoName: '   ' } },
	{ provider: 'cdnVideo', what: 'background colour "#GGGGGG"', parameter: 'composition.backgroundColor', params: { composition: { orientation: 'vertical', frameStyle: 'circle', backgroundColor: '#GGGGGG' } } },
	{ provider: 'cdnVideo', what: 'border colour with 7 digits', parameter: 'composition.borderColor', params: { composition: { orientation: 'vertical', frameStyle: 'circle', borderColor: '#1234567' } } },
	{ provider: 'cdnVideo', what: 'background colour with a leading space', parameter: 'composition.backgroundColor', params: { composition: { orientation: 'vertical', frameStyle: 'circle', backgroundColor: ' #123456' } } },
	{ provider: 'cdnVideo', what: 'scale "abc"', parameter: 'composition.scale', params: { composition: { orientation: 'vertical', scale: 'abc' } } },
	{ provider: 'cdnVideo', what: 'shift NaN (from an expression)', parameter: 'composition.shift', params: { composition: { orientation: 'vertical', shift: Number.NaN } } },
	{ provider: 'cdnVideo', what: 'orientation "Vertical" (wrong case)', parameter: 'composition.orientation', params: { composition: { orientation: 'Vertical' } } },
	{ provider: 'cdnVideo', what: 'circle corner "upper left"', parameter: 'composition.location', params: { composition: { orientation: 'vertical', frameStyle: 'circle', location: 'upper left' } } },
	{ provider: 'cdnVideo', what: 'actor size "hd" (wrong case)', parameter: 'actorSize', params: { actorSize: 'hd' } },
	{ provider: 'cdnVideo', what: 'getAll limit 0 (one below the edge)', parameter: 'limit', params: { operation: 'getAll', limit: 0 } },
	{ provider: 'cdnVideo', what: 'getAll limit 2.5', parameter: 'limit', params: { operation: 'getAll', limit: 2.5 } },
	{ provider: 'cdnVideo', what: 'getAll offset -1 (one below the edge)', parameter: 'options.offset', params: { operation: 'getAll', options: { offset: -1 } } },
	{ provider: 'cdnVideo', what: 'getAll job filter "../x"', parameter: 'filters.id', params: { operation: 'getAll', filters: { id: '../x' } } },
	{ provider: 'cdnVideo', what: 'getAll extra field "password"', parameter: 'options.fields', params: { operation: 'getAll', options: { fields: ['password'] } } },
	{ provider: 'cdnVideo', what: 'getAll end date "tomorrow"', parameter: 'filters.end', params: { operation: 'getAll', filters: { end: 'tomorrow' } } },
	{ provider: 'cdnVideo', what: 'cancel a jobId of 5000 characters', parameter: 'jobId', params: { operation: 'cancel', jobId: 'x'.repeat(5000) } },
	{ provider: 'cdnVideo', what: 'delete a jobId with a newline', parameter: 'jobId', params: { operation: 'delete', jobId: 'abc\ndef' } },
	// HiDream
	{ provider: 'hiDream', what: 'style "Anime" (wrong case)', parameter: 'style', params: { style: 'Anime' } },
	{ provider: 'hiDream', what: 'custom prompt of tabs and newlines', parameter: 'prompt', params: { style: 'custom', prompt: '\n\t \n' } },
	{ provider: 'hiDream', what: 'video URL "file:///etc/passwd"', parameter: 'videoUrl', params: { videoUrl: 'file:///etc/passwd' } },
	{ provider: 'hiDream', what: 'scheme-relative video URL', parameter: 'videoUrl', params: { videoUrl: '//media.example.com/clip.mp4' } },
	{ provider: 'hiDream', what: 'video URL with a space in the host', parameter: 'videoUrl', params: { videoUrl: 'https://media example.com/clip.mp4' } },
	{ provider: 'hiDream', what: 'binary of type application/octet-stream', parameter: 'binaryPropertyName', params: { videoSource: 'binary' }, items: file('application/octet-stream') },
	{ provider: 'hiDream', what: 'binary of type text/plain', parameter: 'binaryPropertyName', params: { videoSource: 'binary' }, items: file('text/plain') },
	{ provider: 'hiDream', what: 'request id of spaces only', parameter: 'options.requestId', params: { options: { requestId: '   ' } } },
	{ provider: 'hiDream', what: 'notify URL "mailto:"', parameter: 'options.notifyUrl', params: { options: { notifyUrl: 'mailto:ops@example.com' } } },
	{ provider: 'hiDream', what: 'jobId "?task_id=1"', parameter: 'jobId', params: { operation: 'getStatus', jobId: '?task_id=1' } },
	{ provider: 'hiDream', what: 'jobId "#frag"', parameter: 'jobId', params: { operation: 'getResult', jobId: '#frag' } },
	{ provider: 'hiDream', what: 'jobId of 5000 characters', parameter: 'jobId', params: { operation: 'getStatus', jobId: 'h'.repeat(5000) } },
	{ provider: 'hiDream', what: 'text to video, prompt of tabs and newlines', parameter: 'prompt', params: { ...t2v, prompt: '\n\t \n' } },
	{ provider: 'hiDream', what: 'image to video, image URL "file:///etc/passwd"', parameter: 'imageUrl', params: { ...hdI2v, imageUrl: 'file:///etc/passwd' } },
	{ provider: 'hiDream', what: 'image to video, a binary video instead of an image', parameter: 'binaryPropertyName', params: { ...hdI2v, imageSource: 'binary' }, items: file('video/mp4') },
	{ provider: 'hiDream', what: 'resolution "1280x720" (x, not *)', parameter: 'options.resolution', params: { ...t2v, options: { resolution: '1280x720' } } },
	{ provider: 'hiDream', what: 'camera move "left" (not a number)', parameter: 'options.cameraMoveHorizontal', params: { ...t2v, options: { cameraMoveHorizontal: 'left' } } },
	{ provider: 'hiDream', what: 'camera move -5.5', parameter: 'options.cameraMoveDepth', params: { ...hdI2v, options: { cameraMoveDepth: -5.5 } } },
	{ provider: 'hiDream', what: 'motion strength "max"', parameter: 'options.motionStrength', params: { ...t2v, options: { motionStrength: 'max' } } },
	{ provider: 'hiDream', what: 'Get Status with task "TextToVideo" (wrong case)', parameter: 'task', params: { operation: 'getStatus', jobId: 'task-1', task: 'TextToVideo' } },
	// kvid
	{ provider: 'kvid', what: 'frames "80" as text (one below the edge)', parameter: 'options.numFrames', params: { options: { numFrames: '80' } } },
	{ provider: 'kvid', what: 'frame rate 24.5', parameter: 'options.framesPerSecond', params: { options: { framesPerSecond: 24.5 } } },
	{ provider: 'kvid', what: 'inference steps -1', parameter: 'options.numInferenceSteps', params: { options: { numInferenceSteps: -1 } } },
	{ provider: 'kvid', what: 'seed "Infinity"', parameter: 'options.seed', params: { options: { seed: 'Infinity' } } },
	{ provider: 'kvid', what: 'aspect ratio "16x9"', parameter: 'options.aspectRatio', params: { options: { aspectRatio: '16x9' } } },
	{ provider: 'kvid', what: 'resolution "720P" (wrong case)', parameter: 'options.resolution', params: { options: { resolution: '720P' } } },
	{ provider: 'kvid', what: 'seedance duration 5.5', parameter: 'options.duration', params: { model: 'seedance', options: { duration: 5.5 } } },
	{ provider: 'kvid', what: 'seedance camera fixed "true" as text', parameter: 'options.cameraFixed', params: { model: 'seedance', options: { cameraFixed: 'true' } } },
	{ provider: 'kvid', what: 'seedance end image "not a url"', parameter: 'options.endImageUrl', params: { ...i2v, model: 'seedance', options: { endImageUrl: 'not a url' } } },
	{ provider: 'kvid', what: 'image URL as a data: URL', parameter: 'imageUrl', params: { ...i2v, imageUrl: 'data:image/png;base64,iVBORw0KGgo=' } },
	{ provider: 'kvid', what: 'image binary of type text/html', parameter: 'binaryPropertyName', params: { ...i2v, imageSource: 'binary' }, items: file('text/html') },
	{ provider: 'kvid', what: 'getStatus mode "text-to-video" (the path, not the value)', parameter: 'mode', params: { operation: 'getStatus', jobId: 'req_1', mode: 'text-to-video' } },
	{ provider: 'kvid', what: 'getResult jobId "req_1/../status"', parameter: 'jobId', params: { operation: 'getResult', jobId: 'req_1/../status', mode: 'textToVideo' } },
	{ provider: 'kvid', what: 'getStatus jobId of emoji and a space', parameter: 'jobId', params: { operation: 'getStatus', jobId: '🎬 1', mode: 'textToVideo' } },
	// kvid, generation API (the unit tests hold the model × mode × option refusals)
	{ provider: 'kvidGeneration', what: 'model "veo 3.1" (a space)', parameter: 'model', params: { model: 'veo 3.1' } },
	{ provider: 'kvidGeneration', what: 'veo3.1 duration 4.5', parameter: 'options.duration', params: { options: { duration: 4.5 } } },
	{ provider: 'kvidGeneration', what: 'mode "ref2vid" (kvid\'s function, not the value)', parameter: 'mode', params: { mode: 'ref2vid' } },
	{ provider: 'kvidGeneration', what: 'reference video URL "ftp://…"', parameter: 'videoUrls', params: { mode: 'referenceToVideo', imageUrls: 'https://img.example/a.png', videoUrls: 'ftp://cdn.example/a.mp4' } },
	{ provider: 'kvidGeneration', what: 'credit pool value of two emails (per item)', parameter: 'options.creditPoolValue', params: { options: { creditPool: 'email', creditPoolValue: 'a@x.example;b@x.example' } } },
	{ provider: 'kvidGeneration', what: 'credit pool "product_id" (kvid\'s field, not the value)', parameter: 'options.creditPool', params: { options: { creditPool: 'product_id', creditPoolValue: 'pdt_1' } } },
	{ provider: 'kvidGeneration', what: 'getStatus jobId "job_1?x=1"', parameter: 'jobId', params: { operation: 'getStatus', apiVersion: 'generation', jobId: 'job_1?x=1' } },
	{ provider: 'kvidGeneration', what: 'apiVersion "v2"', parameter: 'apiVersion', params: { apiVersion: 'v2' } },
];
