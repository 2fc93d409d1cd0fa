"""Benchmark of the group mode: a room of simulated phones voting at once. Prints figures, asserts nothing.

Why: issue 9 asks that 30 participants × 10 votes each, through the real HTTP path, lose and
double no vote, reach the trainer's screen in ≤ 1 s (p95), on a 2-core laptop; and to know what
the participants' server costs in memory.

    .venv/bin/python bench/bench_salle.py [--participants 30] [--votes 10] [--postgresql]

What runs, all on 127.0.0.1:

- the participants' server, started as ``make serve`` starts it (``python -m widgets.salle.server``),
  on a private data directory (SQLite, WAL) or on PostgreSQL (``--postgresql``: the URL in
  ``FAIRE_AVEC_TEST_DATABASE_URL``, or a throwaway cluster);
- one thread per phone (:class:`tests.support.salle_client.Phone`): it asks every 2 s whether the trainer
  moved on (as the page's script does), loads the page, taps an answer (form post with its cookies
  and anti-CSRF field, then the redirect). One phone in five taps twice, one in ten changes its
  mind: the count must still be one answer per phone;
- the trainer, as the Voilà view works: actions through :mod:`widgets.salle.trainer`, and a watcher
  that reads the session's version every 0.5 s and, when it changed, the whole session and the
  chart's JSON — the moment a vote appears there is its arrival on the trainer's screen (the
  browser's own drawing, a few tens of ms, is not counted).

The run stops by itself: every loop is bounded and the whole run has a deadline (``--deadline``).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.salle_client import Phone  # noqa: E402
from tests.support.salle_server import SalleServer  # noqa: E402
from widgets.salle import charts, content  # noqa: E402
from widgets.salle.model import PHONE_POLL_SECONDS, POLL_SECONDS, Activity  # noqa: E402
from widgets.salle.store import Store  # noqa: E402
from widgets.salle.trainer import Trainer  # noqa: E402


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def memory_kib(pid: int) -> tuple[int, int]:
    """(resident now, resident peak) of a process, in KiB, from /proc."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            values[line.split(":")[0]] = int(line.split()[1])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Watcher(threading.Thread):
    """The trainer's screen: what the Voilà view does every POLL_SECONDS."""

    def __init__(self, trainer: Trainer, stop: threading.Event):
        super().__init__(daemon=True)
        self.trainer = trainer
        self.stop_event = stop
        self.seen: dict[tuple[int, int, str], float] = {}  # (round, participant, answer) -> first seen
        self.redraws = 0
        self.redraw_seconds: list[float] = []
        self.lock = threading.Lock()

    def run(self) -> None:
        version = -1
        abaque = content.scale_for("abaque")
        while not self.stop_event.wait(POLL_SECONDS):
            now = time.monotonic()
            current = self.trainer.version()
            if current == version:
                continue
            version = current
            started = time.perf_counter()
            snapshot = self.trainer.snapshot()
            shown = snapshot.current
            if shown is not None:
                charts.distribution_figure(snapshot, shown, abaque).to_json()  # what the view sends
            self.redraw_seconds.append(time.perf_counter() - started)
            self.redraws += 1
            with self.lock:
                for vote in snapshot.votes:
                    self.seen.setdefault((vote.round_id, vote.participant, vote.value), now)


def phone_loop(
    index: int,
    base: str,
    code: str,
    rounds: int,
    choices: list[str],
    sent: dict,
    tokens: dict,
    errors: list[str],
    deadline: float,
    stop: threading.Event,
) -> None:
    """One participant: wait for each new question, answer it, sometimes twice."""
    rng = random.Random(index)
    phone = Phone(base)
    try:
        phone.open(code)
        tokens[index] = phone.cookies.get("salle_jeton", "")
        answered: set[int] = set()
        state = phone.page_state()  # as the page's script: compare with what the page shows
        while len(answered) < rounds and time.monotonic() < deadline and not stop.is_set():
            round_id = phone.current_round()
            if round_id is not None and round_id not in answered:
                time.sleep(rng.uniform(0.0, 3.0))  # people read the statement, then tap
                value = rng.choice(choices)
                started = time.monotonic()
                status, _ = phone.vote(code, round_id, value)
                elapsed = time.monotonic() - started
                if status != 200:
                    errors.append(f"vote {status}")
                    continue
                if index % 5 == 0:  # a double tap
                    phone.vote(code, round_id, value)
                if index % 10 == 3:  # a change of mind
                    value = choices[(choices.index(value) + 1) % len(choices)]
                    started = time.monotonic()
                    phone.vote(code, round_id, value)
                sent[(round_id, index)] = (started, value, elapsed)
                answered.add(round_id)
                continue
            time.sleep(PHONE_POLL_SECONDS)  # what the page's script does between two checks
            status, answer = phone.state(code)
            if status != 200:
                errors.append(f"etat {status}")
            elif answer.get("etat") != state:
                phone.open(code)
                state = phone.page_state()
    except Exception as error:  # counted and printed: a benchmark reports, it does not stop
        errors.append(f"{type(error).__name__}: {error}")
    finally:
        phone.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--votes", type=int, default=10, help="questions, hence votes per phone")
    parser.add_argument("--postgresql", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--deadline", type=float, default=600.0, help="seconds before the run stops whatever happens")
    args = parser.parse_args()

    cluster = None
    url = None
    if args.postgresql:
        url = os.environ.get("FAIRE_AVEC_TEST_DATABASE_URL")
        if not url:
            from tests.support import throwaway_pg

            cluster = throwaway_pg.start()
            url = cluster.url
    data = Path(tempfile.mkdtemp(prefix="bench-salle-"))
    server = SalleServer(data, database_url=url).start()
    base = server.url
    stop = threading.Event()
    try:
        idle_rss, _ = memory_kib(server.pid)
        store = Store(url, data)
        code, secret = store.open_session()
        trainer = Trainer(store, code, secret)
        choices = [c.id for c in content.scale_for("abaque").choices]
        watcher = Watcher(trainer, stop)
        watcher.start()
        deadline = time.monotonic() + args.deadline
        sent: dict = {}
        tokens: dict = {}
        errors: list[str] = []
        phones = [
            threading.Thread(
                target=phone_loop,
                args=(i, base, code, args.votes, choices, sent, tokens, errors, deadline, stop),
                daemon=True,
            )
            for i in range(args.participants)
        ]
        cpu_before = cpu_seconds(server.pid)
        started = time.monotonic()
        for phone in phones:
            phone.start()
        peak_rss = idle_rss
        statements = [s.text for s in content.load_statements()]
        round_ids = []
        for number in range(args.votes):
            current = trainer.ask(Activity.ABAQUE, statements[number % len(statements)])
            asked = time.monotonic()
            round_ids.append(current.id)
            # The trainer waits until everyone answered (or 60 s), then shows the results.
            wait_until = min(deadline, time.monotonic() + 60)
            while time.monotonic() < wait_until:
                with watcher.lock:
                    answered = len({p for (r, p, _) in watcher.seen if r == current.id})
                if answered >= args.participants and all((current.id, i) in sent for i in range(args.participants)):
                    break
                peak_rss = max(peak_rss, memory_kib(server.pid)[0])
                time.sleep(0.1)
            print(f"  [tour {number + 1} : {answered} réponses en {time.monotonic() - asked:.1f} s]", flush=True)
            time.sleep(POLL_SECONDS * 2)  # late double taps and changes of mind land
            trainer.reveal(current.id)
        for phone in phones:
            phone.join(timeout=max(1.0, deadline - time.monotonic()))
        time.sleep(POLL_SECONDS * 3)
        stop.set()
        watcher.join(timeout=10)
        duration = time.monotonic() - started
        cpu = cpu_seconds(server.pid) - cpu_before
        rss, hwm = memory_kib(server.pid)

        final = trainer.snapshot()
        number_of = {index: store.participant(code, token) for index, token in tokens.items()}
        rows: dict[tuple[int, int], list[str]] = {}
        for vote in final.votes:
            rows.setdefault((vote.round_id, vote.participant), []).append(vote.value)
        lost = not_sent = doubled = wrong_value = 0
        latencies = []
        for round_id in round_ids:
            for index in range(args.participants):
                number = number_of.get(index)
                stored = rows.get((round_id, number), []) if number else []
                doubled += max(0, len(stored) - 1)
                if (round_id, index) not in sent:
                    not_sent += 1  # the phone never saw the question (it would be the benchmark's fault)
                    continue
                if not stored:
                    lost += 1
                    continue
                moment, value, _ = sent[(round_id, index)]
                if stored[0] != value:
                    wrong_value += 1  # the last answer tapped is not the one kept
                    continue
                seen = watcher.seen.get((round_id, number, value))
                if seen is not None:
                    latencies.append(max(0.0, seen - moment))
        strangers = sum(len(v) for (r, p), v in rows.items() if p not in number_of.values())
        post_times = [elapsed for (_, _, elapsed) in sent.values()]

        print(f"Mode groupe — {args.participants} téléphones × {args.votes} votes, stockage {store.backend}")
        print(
            f"  durée {duration:6.1f} s, votes envoyés {len(sent)} (attendus {args.participants * args.votes},"
            f" non envoyés {not_sent})"
        )
        print(
            f"  votes perdus {lost}   votes en double {doubled}   votes d'inconnus {strangers}"
            f"   réponse gardée différente de la dernière tapée {wrong_value}"
        )
        print(f"  erreurs HTTP ou réseau {len(errors)}{' : ' + '; '.join(sorted(set(errors))[:5]) if errors else ''}")
        if latencies:
            print(
                f"  du vote à l'écran formateur : p50 {statistics.median(latencies):.2f} s   p95 {percentile(latencies, 0.95):.2f} s"
                f"   max {max(latencies):.2f} s   (n={len(latencies)}, lecture toutes les {POLL_SECONDS} s)"
            )
        if post_times:
            print(
                f"  envoi d'un vote (POST + page suivante) : p50 {statistics.median(post_times) * 1000:.0f} ms"
                f"   p95 {percentile(post_times, 0.95) * 1000:.0f} ms"
            )
        if watcher.redraw_seconds:
            print(
                f"  relecture de la séance + graphique par l'écran formateur : p50 {statistics.median(watcher.redraw_seconds) * 1000:.0f} ms"
                f"   p95 {percentile(watcher.redraw_seconds, 0.95) * 1000:.0f} ms   ({watcher.redraws} relectures)"
            )
        print(
            f"  serveur des participant·es : mémoire {idle_rss / 1024:.0f} Mio au repos, {max(peak_rss, rss) / 1024:.0f} Mio pendant le vote,"
            f" pic {hwm / 1024:.0f} Mio ; CPU {cpu:.1f} s sur {duration:.0f} s ({100 * cpu / duration:.0f} % d'un cœur)"
        )
        print(
            f"  machine : {os.cpu_count()} cœurs, charge moyenne {os.getloadavg()[0]:.2f}, Python {platform.python_version()}"
        )
        store.close()
    finally:
        stop.set()
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
