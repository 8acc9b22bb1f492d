// How much a file stream buffers between its two ends. Node's defaults (16 KB for a file write,
// 64 KB for a socket read) make a 25 MB upload or download stop and restart some 400 times on
// back-pressure; at 1 MB it flows in about 25 steps, while ten concurrent transfers still hold at
// most a few MB each (bench:files reports the RSS).
export const STREAM_BUFFER_BYTES = 1024 * 1024;
