"""The web server and the background worker together, started and stopped as one.

`make run` uses this. Both run as child processes in sessions of their own, so stopping
(Ctrl-C, SIGTERM) reaches each of them and everything their reloaders started; if either
stops by itself, the other is stopped too. The worker is given time to finish the task it is
running; a task cut off anyway is taken up again by the next worker (backoffice/jobs/worker).
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

GRACE_SECONDS = 20


class Command(BaseCommand):
    help = "Start de webserver en de achtergrondtaken samen; Ctrl-C stopt beide."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--noreload", action="store_true", help="Niet herstarten bij gewijzigde code."
        )

    def handle(self, *args, addrport, noreload, **options):
        host, _, port = addrport.rpartition(":")
        if not port.isdigit():
            raise CommandError(f"Geef een poort, bijvoorbeeld 127.0.0.1:8000 (niet {addrport!r}).")
        host = host or "127.0.0.1"
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        reload = settings.DEBUG and not noreload
        commands = {
            "worker": [*manage, "worker", *(["--reload"] if reload else [])],
            "web": [*manage, "runserver", f"{host}:{port}", *([] if reload else ["--noreload"])],
        }
        self.stdout.write(f"Buurtkas draait op http://{host}:{port}/ (stoppen: Ctrl-C)")
        self.stdout.write("De achtergrondtaken (bankbestanden, dagelijkse controle) draaien mee.")
        self.stdout.flush()

        stopping = []

        def stop(signum, frame):
            stopping.append(signum)

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        children = {
            name: subprocess.Popen(command, start_new_session=True)
            for name, command in commands.items()
        }
        ended = None
        try:
            while not stopping and ended is None:
                ended = next((n for n, p in children.items() if p.poll() is not None), None)
                time.sleep(0.2)
        finally:
            for process in children.values():
                _signal_group(process, signal.SIGTERM)
            deadline = time.monotonic() + GRACE_SECONDS
            for process in children.values():
                try:
                    process.wait(max(deadline - time.monotonic(), 0.1))
                except subprocess.TimeoutExpired:
                    _signal_group(process, signal.SIGKILL)
                    process.wait()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if ended is not None and not stopping:
            code = children[ended].returncode
            raise CommandError(
                f"De {'webserver' if ended == 'web' else 'worker'} is gestopt (code {code}); "
                "de rest is ook gestopt."
            )


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
