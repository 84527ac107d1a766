"""Benchmark messaging end to end over real HTTP and WebSockets; prints one JSON object.

    .venv/bin/python -m bench.messaging --pairs 50 --messages 100 [--processes 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saypro_bench \\
        REDIS_URL=redis://127.0.0.1:6379/8 .venv/bin/python -m bench.messaging --processes 2
    .venv/bin/python -m bench.messaging --url http://127.0.0.1:8000 --token-file pairs.json

Without ``--url`` it builds everything itself (``tests.realtime.harness``): a
fresh database (a SQLite file in a temporary folder, or a temporary database
on the PostgreSQL server of ``DATABASE_URL``, dropped at the end), ``migrate``,
``--pairs`` buyer–seller pairs with tokens and a conversation each, and
``--processes`` uvicorn processes (more than one needs ``REDIS_URL``; that
Redis database is flushed). Per-person send limits and the API throttle are
lifted for the bench servers. With ``--url`` (comma-separated for several
processes) it drives running servers with the pairs of ``--token-file``, the
output of ``python -m tests.realtime.seed --pairs K`` run against their database.

The load is a closed loop: each of the K buyers sends M messages one after
another over a keep-alive HTTP connection (aiohttp), waiting for each 2xx; one
WebSocket per seller receives them. Seller i listens on the process after
buyer i's, so with several processes every delivery crosses Redis. Reported:
sends/s over the timed phase (after ``--warmup`` untimed messages per buyer),
send latency (request → 2xx) and delivery latency (send start → the seller's
socket got it) percentiles, messages lost (acknowledged, never delivered within
``--grace`` seconds) and duplicated, and the servers' peak RSS (``VmHWM``).
"""

import argparse
import asyncio
import json
import os
import platform
import secrets
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.realtime.harness import (  # noqa: E402  (after the path is set)
    Database,
    Server,
    manage,
    redis_reachable,
    seed,
    server_env,
    start_servers,
)

# The targets: (sends/s at least, delivery p99 at most in ms).
TARGETS = {"single process, SQLite": (500, 150), "PostgreSQL + Redis, 2+ processes": (1000, 100)}


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (``/proc/<pid>/stat``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def milliseconds(values: list[float], *fractions: float) -> dict:
    return {
        f"p{round(fraction * 100)}": (
            None if (value := percentile(values, fraction)) is None else round(value * 1000, 1)
        )
        for fraction in fractions
    }


class Run:
    """Shared state of one run: when each message was sent and what each seller got."""

    def __init__(self, pairs: list[dict], messages: int, warmup: int):
        self.pairs = pairs
        self.messages = messages
        self.warmup = warmup
        self.tag = secrets.token_hex(3)
        self.started: dict[str, float] = {}  # client_id -> send start (perf_counter)
        self.acknowledged: set[str] = set()
        self.timed: set[str] = set()  # client_ids of the timed phase
        self.send_latencies: list[float] = []
        self.delivery_latencies: list[float] = []
        self.received: Counter = Counter()  # client_id -> times a seller got it
        self.errors: Counter = Counter()
        self.reconnects = 0
        self.warm = asyncio.Event()
        self.warm_buyers = 0


async def receive(session, url: str, pair: dict, run: Run, ready: asyncio.Event, stop):
    """One seller's socket: record each message's delivery; reconnect with ``after``."""
    token = pair["seller"]["token"]
    last = None
    while not stop.is_set():
        query = f"?token={token}" + ("" if last is None else f"&after={last}")
        try:
            async with session.ws_connect(url + query, autoping=True, heartbeat=None) as socket:
                if last is None:
                    await socket.send_json({"type": "ping"})
                async for message in socket:
                    if message.type != aiohttp.WSMsgType.TEXT:
                        break
                    frame = json.loads(message.data)
                    if frame.get("type") == "pong":
                        last = frame["last_event_id"] if last is None else last
                        ready.set()
                        continue
                    last = frame["id"]
                    if frame["type"] != "message.created":
                        continue
                    client_id = frame["data"]["client_id"]
                    run.received[client_id] += 1
                    started = run.started.get(client_id)
                    first = run.received[client_id] == 1
                    if first and started is not None and client_id in run.timed:
                        run.delivery_latencies.append(time.perf_counter() - started)
        except (TimeoutError, aiohttp.ClientError, OSError):
            pass
        if not stop.is_set():
            run.reconnects += 1
            await asyncio.sleep(0.1)


async def send_all(session, base_url: str, pair: dict, run: Run, index: int, progress) -> None:
    """One buyer: ``warmup`` then ``messages`` sends, each waiting for its 2xx."""
    headers = {"Authorization": f"Bearer {pair['buyer']['token']}"}
    path = f"{base_url}/api/v1/conversations/{pair['conversation_id']}/messages"
    total = run.warmup + run.messages
    for number in range(total):
        if number == run.warmup:
            run.warm_buyers += 1
            if run.warm_buyers == len(run.pairs):
                run.warm.set()
            await run.warm.wait()  # every buyer starts the timed phase together
        client_id = f"bench-{run.tag}-{index}-{number}"
        body = {"text": f"Bench message {number} from buyer {index}", "client_id": client_id}
        timed = number >= run.warmup
        for _attempt in range(5):
            started = time.perf_counter()
            run.started.setdefault(client_id, started)
            if timed:
                run.timed.add(client_id)
            try:
                async with session.post(path, json=body, headers=headers) as response:
                    await response.read()
                    status = response.status
            except (TimeoutError, aiohttp.ClientError, OSError) as error:
                status = type(error).__name__
            if status in (200, 201):
                run.acknowledged.add(client_id)
                if timed:
                    run.send_latencies.append(time.perf_counter() - started)
                    progress.update(1)
                break
            run.errors[str(status)] += 1
            await asyncio.sleep(0.05)  # retried with the same client_id: no duplicate


async def drive(urls: list[str], pairs: list[dict], options, server_pids: list[int]) -> dict:
    run = Run(pairs, options.messages, options.warmup)
    stop = asyncio.Event()
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        readies = []
        receivers = []
        for index, pair in enumerate(pairs):
            ready = asyncio.Event()
            socket_url = urls[(index + 1) % len(urls)].replace("http", "ws", 1) + "/ws/"
            receivers.append(
                asyncio.create_task(receive(session, socket_url, pair, run, ready, stop))
            )
            readies.append(ready)
        await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in readies)), timeout=60)

        progress = tqdm(
            total=len(pairs) * options.messages, desc="sends", unit="msg", file=sys.stderr
        )
        buyers = [
            send_all(session, urls[index % len(urls)], pair, run, index, progress)
            for index, pair in enumerate(pairs)
        ]
        warm_started = time.perf_counter()
        senders = asyncio.gather(*buyers)
        await run.warm.wait()
        timed_started = time.perf_counter()
        cpu_started = cpu_seconds(server_pids)
        await senders
        elapsed = time.perf_counter() - timed_started
        server_cpu = cpu_seconds(server_pids) - cpu_started
        progress.close()

        deadline = time.perf_counter() + options.grace
        while time.perf_counter() < deadline and not run.acknowledged <= set(run.received):
            await asyncio.sleep(0.05)
        stop.set()
        for task in receivers:
            task.cancel()
        await asyncio.gather(*receivers, return_exceptions=True)

    timed_sent = len(run.send_latencies)
    return {
        "sent": timed_sent,
        "warmup_seconds": round(timed_started - warm_started, 2),
        "seconds": round(elapsed, 2),
        "sends_per_second": round(timed_sent / elapsed, 1),
        "send_latency_ms": milliseconds(run.send_latencies, 0.5, 0.99),
        "delivery_latency_ms": milliseconds(run.delivery_latencies, 0.5, 0.95, 0.99),
        "server_cpu_ms_per_send": (
            round(server_cpu * 1000 / timed_sent, 2) if server_pids and timed_sent else None
        ),
        "lost": len(run.acknowledged - set(run.received)),
        "duplicated": sum(1 for count in run.received.values() if count > 1),
        "send_errors": dict(run.errors),
        "socket_reconnects": run.reconnects,
    }


def targets(result: dict, config: dict) -> dict:
    scale = config["database"] == "postgresql" and config["processes"] >= 2
    name = "PostgreSQL + Redis, 2+ processes" if scale else "single process, SQLite"
    minimum_rate, maximum_p99 = TARGETS[name]
    p99 = result["delivery_latency_ms"]["p99"]
    rate_met = result["sends_per_second"] >= minimum_rate
    p99_met = p99 is not None and p99 <= maximum_p99
    return {
        "name": name,
        "sends_per_second_at_least": minimum_rate,
        "delivery_p99_ms_at_most": maximum_p99,
        "sends_per_second_met": rate_met,
        "delivery_p99_met": p99_met,
        "met": rate_met and p99_met and result["lost"] == 0 and result["duplicated"] == 0,
    }


def own_servers(options, folder: Path):
    """Database, seeded pairs and started servers for a run without ``--url``."""
    redis_url = os.environ.get("REDIS_URL") or None
    if options.processes > 1 and not redis_url:
        raise SystemExit("--processes above 1 needs REDIS_URL (the processes share Redis).")
    if redis_url:
        if not redis_reachable(redis_url):
            raise SystemExit(f"Redis is not reachable at {redis_url}.")
        import redis

        client = redis.Redis.from_url(redis_url)
        client.flushdb()
        client.close()
    database = Database(folder, os.environ.get("DATABASE_URL"))
    env = server_env(database, folder, redis_url=redis_url)
    manage(env, "migrate", "--no-input", "-v", "0")
    pairs = seed(env, options.pairs)
    servers = [Server(env, folder, name=f"web{number}") for number in range(options.processes)]
    return database, pairs, start_servers(servers), redis_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=50, help="buyer–seller pairs (K)")
    parser.add_argument("--messages", type=int, default=100, help="timed messages per buyer (M)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed messages per buyer first")
    parser.add_argument("--processes", type=int, default=1, help="web processes (uvicorn) to start")
    parser.add_argument("--url", help="running server(s), comma-separated; needs --token-file")
    parser.add_argument("--token-file", help="JSON from `python -m tests.realtime.seed`")
    parser.add_argument("--grace", type=float, default=10, help="seconds to wait for deliveries")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="saypro-bench-"))
    database = None
    servers: list[Server] = []
    if options.url:
        if not options.token_file:
            parser.error("--url needs --token-file")
        urls = [url.rstrip("/") for url in options.url.split(",")]
        pairs = json.loads(Path(options.token_file).read_text())["pairs"][: options.pairs]
        config = {"url": options.url, "processes": len(urls), "database": "unknown"}
    try:
        if not options.url:
            database, pairs, servers, redis_url = own_servers(options, folder)
            urls = [server.url for server in servers]
            config = {
                "processes": options.processes,
                "database": database.vendor,
                "channel_layer": "redis" if redis_url else "in-memory",
            }
        config.update(
            pairs=len(pairs),
            messages_per_buyer=options.messages,
            warmup_per_buyer=options.warmup,
            cores=os.cpu_count(),
            python=platform.python_version(),
            machine=platform.machine(),
        )
        load_before = os.getloadavg()[0]
        pids = [server.process.pid for server in servers]
        result = asyncio.run(drive(urls, pairs, options, pids))
        # Other work on the machine skews every figure: record how busy it was.
        config["load_average_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
        if servers:
            result["server_peak_rss_mib"] = [server.peak_rss_mib() for server in servers]
        print(json.dumps({"config": config, **result, "targets": targets(result, config)}))
    finally:
        for server in servers:
            server.stop()
        if database is not None:
            database.drop()
        if not options.keep:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"Logs and database in {folder}", file=sys.stderr)


if __name__ == "__main__":
    main()
