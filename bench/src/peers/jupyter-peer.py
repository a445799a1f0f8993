"""S8 peer: a stock jupyter_client (Debian's python3-jupyter-client) talking ZeroMQ to a kernel.

Usage: python3 jupyter-peer.py <connection-file>
Prints {"ready": true} once the kernel answers kernel_info, then reads one JSON request per
line on stdin ({"code": "..."}) and answers each with one JSON line after the execution's
reply *and* its iopub `idle` arrived (`execute_interactive` waits for both), with every output
collected. Large outputs are summarised (character counts), never echoed back.
"""
import json
import sys
import time

from jupyter_client import BlockingKernelClient


def main() -> None:
    client = BlockingKernelClient(connection_file=sys.argv[1])
    client.load_connection_file()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        outputs = []

        def keep(message, outputs=outputs):
            if message["msg_type"] in ("stream", "execute_result", "display_data", "error"):
                outputs.append(message["content"])

        started = time.perf_counter()
        reply = client.execute_interactive(request["code"], output_hook=keep, timeout=120)
        elapsed_ms = (time.perf_counter() - started) * 1000
        result = next(
            (o["data"].get("text/plain") for o in outputs if isinstance(o.get("data"), dict)), None
        )
        print(
            json.dumps(
                {
                    "status": reply["content"]["status"],
                    "executionCount": reply["content"].get("execution_count"),
                    "streamChars": sum(len(o["text"]) for o in outputs if "text" in o),
                    "result": result,
                    "pythonMs": elapsed_ms,
                }
            ),
            flush=True,
        )
    client.stop_channels()


if __name__ == "__main__":
    main()
