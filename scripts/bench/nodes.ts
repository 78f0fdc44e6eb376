/**
 * The node classes, loaded from their sources: tsx resolves `X.node` to the codex file
 * `X.node.json` beside the source, so the .ts file is named in full.
 */
export const { AiStudios } = require('../../nodes/AiStudios/AiStudios.node.ts') as typeof import('../../nodes/AiStudios/AiStudios.node');
export const { CdnVideo } = require('../../nodes/CdnVideo/CdnVideo.node.ts') as typeof import('../../nodes/CdnVideo/CdnVideo.node');
export const { HiDream } = require('../../nodes/HiDream/HiDream.node.ts') as typeof import('../../nodes/HiDream/HiDream.node');
