/**
 * The single-provider packages `npm run build:packages` makes from this repository's source.
 * Only what cannot be read from the code lives here: the npm name, which node folder it carries,
 * and a few words for its README and npm page. Files, credential, icons and examples are derived
 * (see sources.ts), so providers can change without this list changing.
 */
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/**
 * packages/<name>/ is committed: the package's package.json (n8n's scanner looks for it in the
 * source its npm provenance names) and links to the sources it is built from.
 */
export const PACKAGES_DIR = path.join(REPO_ROOT, 'packages');
/** Where each package is assembled and compiled (not committed). */
export const BUILD_DIR = path.join(PACKAGES_DIR, '.build');
/** Where `npm run check:packages` leaves the packed tarballs the e2e tests install (not committed). */
export const TARBALLS_DIR = path.join(PACKAGES_DIR, '.tarballs');
/** The combined package's npm name: the prefix of node types in examples/ and in its codex files. */
export const COMBINED_PACKAGE = 'n8n-nodes-ai-video';

export interface SinglePackage {
	/** npm name (checked free on npm, 2026-11-30) */
	name: string;
	/** folder under nodes/ that holds the provider's node */
	nodeFolder: string;
	/** the provider, as its users know it */
	provider: string;
	/** the provider's site, for the README */
	providerUrl: string;
	/** npm description */
	summary: string;
	/** npm keywords beside n8n-community-node-package and n8n */
	keywords: string[];
}

export const SINGLE_PACKAGES: SinglePackage[] = [
	{
		name: 'n8n-nodes-ai-studios',
		nodeFolder: 'AiStudios',
		summary: 'n8n node for DeepBrain AI Studios: render AI avatar videos and follow them to the finished file',
		provider: 'DeepBrain AI Studios',
		providerUrl: 'https://www.aistudios.com',
		keywords: ['ai-studios', 'deepbrain', 'ai-video', 'avatar', 'text-to-video'],
	},
	{
		name: 'n8n-nodes-cdnvideo',
		nodeFolder: 'CdnVideo',
		summary: 'n8n node for the CDNvideo virtual presenter: render talking-presenter videos and follow them to the finished file',
		provider: 'CDNvideo',
		providerUrl: 'https://www.cdnvideo.ru',
		keywords: ['cdnvideo', 'virtual-presenter', 'ai-video', 'talking-head'],
	},
	{
		name: 'n8n-nodes-kvid',
		nodeFolder: 'Kvid',
		summary: 'n8n node for kvid.ai: text-to-video and image-to-video renders, followed to the finished file',
		provider: 'kvid.ai',
		providerUrl: 'https://kvid.ai',
		keywords: ['kvid', 'ai-video', 'text-to-video', 'image-to-video'],
	},
	{
		name: 'n8n-nodes-hidream',
		nodeFolder: 'HiDream',
		summary: 'n8n node for HiDream: video stylization and text/image-to-video renders, followed to the finished file',
		provider: 'HiDream',
		providerUrl: 'https://www.hidreamai.com',
		keywords: ['hidream', 'ai-video', 'video-stylization', 'text-to-video'],
	},
];
