"""Record from a microphone until killed, printing progress: the subject of the kill -9 test.

    python record_forever.py OUT.flac [DEVICE]

Prints "started <first-block latency>" once the first block has arrived, then
"written <frames>" whenever the recorder has written more frames to disk (polled every 20 ms):
a line is printed only after those frames are in the file.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from starcoach.audio import Recorder


def main() -> int:
    out = Path(sys.argv[1])
    device = sys.argv[2] if len(sys.argv) > 2 else None
    rec = Recorder(out, device=device)
    rec.start()
    if not rec.first_block.wait(20):
        print("no audio", flush=True)
        rec.stop()
        return 2
    print(f"started {rec.first_block_latency_s:.3f}", flush=True)
    tick = threading.Event()
    last = -1
    while not rec.finished.is_set():
        frames = rec.frames_written
        if frames != last:
            print(f"written {frames}", flush=True)
            last = frames
        tick.wait(0.02)
    result = rec.stop()
    print(f"finished {result.error}", flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
