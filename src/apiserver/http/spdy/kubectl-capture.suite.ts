// Bytes kubectl 1.29 (Go's spdystream framer) really sent after the SPDY/3.1 upgrade of
// `echo hi | kubectl exec -i p -- cat`, captured for the SPDY tests: four SYN_STREAMs (error, stdin, stdout,
// stderr) whose header blocks continue one zlib stream, then "hi\n" on stdin and its FIN. Only the first block
// carries the zlib header with the dictionary id; the later ones inflate only in the same context. The
// .suite.ts suffix keeps this file out of the build and out of the test runner's file list.

export const KUBECTL_EXEC_STREAMS = Buffer.from(
  [
    "80030001000000290000000100000000000078f9e3c6a7c26260606004a7b392a2d4c45c6851c29a0a0a6800000000ffff",
    "800300010000001700000003000000000000c22e555c92929907000000ffff",
    "800300010000001900000005000000000000c22ac5565c92925f5a02000000ffff",
    "800300010000001500000007000000000000c229975a5404000000ffff",
    "000000030000000368690a",
    "0000000301000000",
  ].join(""),
  "hex",
);

/** The streams those frames open, in order, with their headers. */
export const KUBECTL_EXEC_STREAM_TYPES = ["error", "stdin", "stdout", "stderr"];
