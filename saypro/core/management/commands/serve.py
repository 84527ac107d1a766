"""``saypro serve``: the web server (uvicorn, HTTP + WebSockets) and a Huey worker together.

One command for the embedded mode: Ctrl-C (or SIGTERM) stops both. If either
process dies, the other is stopped too and the command exits non-zero, so a
broken worker is never left running silently behind a working web server.
In the scale-out mode run the two halves separately (see README).
"""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from saypro.core import webserver


class Command(BaseCommand):
    help = "Serve the web app (uvicorn) and run the background worker (Huey) until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="Serve without a worker.")

    def handle(self, *args, host: str, port: int, no_worker: bool, **options):
        if not 1 <= port <= 65535:
            raise CommandError(f"--port must be from 1 to 65535, not {port}.")
        commands = {"web": webserver.command(host, port)}
        if not no_worker:
            commands["worker"] = [sys.executable, "-m", "saypro", "run_huey", "--quiet"]
        processes = {name: subprocess.Popen(command) for name, command in commands.items()}
        self.stdout.write(
            self.style.SUCCESS(f"SayPro is serving on http://{host}:{port}/")
            + ("" if no_worker else " with a background worker")
            + ". Press Ctrl-C to stop."
        )

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exited = None
        while not stopping and exited is None:
            exited = next((n for n, p in processes.items() if p.poll() is not None), None)
            time.sleep(0.3)
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if exited is not None:
            raise CommandError(f"The {exited} process stopped unexpectedly; stopped the rest too.")
        self.stdout.write("Stopped.")
