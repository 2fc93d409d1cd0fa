"""Benchmark of the group mode: a room of phones votes, one laptop floods, the server restarts midway.
Prints figures, asserts nothing.

Why: issue 16 asks that 60 phones × 20 votes, through the real HTTP path, with one client flooding
votes and a server restart in the middle, lose and double no legitimate vote, refuse the flood,
bring each vote to the trainer's screen in ≤ 1 s (p95) on a 2-core laptop; and to know what the
participants' server costs in memory.

    .venv/bin/python bench/bench_salle.py [--participants 60] [--votes 20] [--postgresql]
                                          [--restart kill|term|none] [--no-flood]

What runs, all on 127.0.0.1:

- the participants' server, started as ``make serve`` starts it (``python -m widgets.salle.server``,
  :class:`tests.support.salle_server.SalleServer`), on a private data directory (SQLite, WAL) or on
  PostgreSQL (``--postgresql``: the URL in ``FAIRE_AVEC_TEST_DATABASE_URL``, or a throwaway cluster);
- one thread per phone (:class:`tests.support.salle_client.Phone`), each from its own source address
  (127.0.1.x, as each phone of a room has its own): it asks every 2 s whether the trainer moved on
  (as the page's script does), loads the page, reads 0 to 3 s, taps an answer (form post with its
  cookies and anti-CSRF field, then the redirect). One phone in five taps twice, one in ten changes
  its mind: the count must still be one answer per phone, the last one tapped. When the server does
  not answer (restart) or answers « réessayez » (503) or « attendez » (429), the phone waits and
  taps again, as a person would;
- a flooder, in a process of its own from its own address (127.0.2.1): a laptop that took a
  token like any phone and then posts votes as fast as the server answers, on one keep-alive
  connection, for the whole run; every answer is counted (accepted, refused with 429, other);
- the trainer, as the Voilà view works: actions through :mod:`widgets.salle.trainer`, and a watcher
  that reads the session's version every 0.5 s and, when it changed, the whole session and the
  chart's JSON — the moment a vote appears there is its arrival on the trainer's screen (the
  browser's own drawing, a few tens of ms, is not counted). The watcher reads the store directly,
  so the restart does not hide votes from it;
- at the middle question, once about half the phones answered, the server is killed (``--restart
  kill``: SIGKILL, a crash; ``term``: a clean stop) and started again on the same port.

The run stops by itself: every loop is bounded and the whole run has a deadline (``--deadline``).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection, HTTPException
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.salle_client import Phone  # noqa: E402
from tests.support.salle_server import SalleServer  # noqa: E402
from widgets.salle import charts, content  # noqa: E402
from widgets.salle.model import PHONE_POLL_SECONDS, POLL_SECONDS, Activity  # noqa: E402
from widgets.salle.store import Store  # noqa: E402
from widgets.salle.trainer import Trainer  # noqa: E402

FLOODER = "127.0.2.1"


def phone_address(index: int) -> str:
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def memory_kib(pid: int) -> tuple[int, int]:
    """(resident now, resident peak) of a process, in KiB, from /proc (0, 0 if it is gone)."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                values[line.split(":")[0]] = int(line.split()[1])
    except OSError:
        return 0, 0
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
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


class Tally:
    """What the phones met on the way (shared by their threads)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.retries: dict[str, int] = {}
        self.errors: list[str] = []
        self.post_seconds: list[float] = []  # a vote taken: the form post and the next page

    def retry(self, why: str) -> None:
        with self.lock:
            self.retries[why] = self.retries.get(why, 0) + 1


def tap(phone: Phone, code: str, round_id: int, value: str, deadline: float, tally: Tally) -> float | None:
    """Tap until the vote is taken, like a person facing a restart or a « réessayez »; return the
    moment the successful attempt started, or None if the round closed meanwhile or time ran out."""
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            status, _ = phone.vote(code, round_id, value)
        except (OSError, HTTPException):
            tally.retry("serveur injoignable")
            time.sleep(0.5)
            reopen(phone, code, deadline, tally)
            continue
        if status == 200:
            with tally.lock:
                tally.post_seconds.append(time.monotonic() - started)
            return started
        tally.retry(f"HTTP {status}")
        if status == 409:
            return None
        time.sleep(1.0 if status == 429 else 0.3)
        reopen(phone, code, deadline, tally)
        if phone.current_round() != round_id:
            return None
    return None


def reopen(phone: Phone, code: str, deadline: float, tally: Tally) -> None:
    """Reload the session's page (the browser's « recharger »), waiting while the server is down."""
    while time.monotonic() < deadline:
        try:
            status = phone.open(code)[0]
        except (OSError, HTTPException):
            status = 0
        if status == 200:
            return
        tally.retry(f"rechargement ({f'HTTP {status}' if status else 'injoignable'})")
        time.sleep(0.5)


def phone_loop(
    index: int,
    base: str,
    code: str,
    rounds: int,
    choices: list[str],
    sent: dict,
    tokens: dict,
    tally: Tally,
    deadline: float,
    stop: threading.Event,
) -> None:
    """One participant: wait for each new question, answer it, sometimes twice."""
    rng = random.Random(index)
    phone = Phone(base, address=phone_address(index))
    try:
        reopen(phone, code, deadline, tally)
        tokens[index] = phone.cookies.get("salle_jeton", "")
        answered: set[int] = set()
        state = phone.page_state()  # as the page's script: compare with what the page shows
        while len(answered) < rounds and time.monotonic() < deadline and not stop.is_set():
            round_id = phone.current_round()
            if round_id is not None and round_id not in answered:
                time.sleep(rng.uniform(0.0, 3.0))  # people read the statement, then tap
                value = rng.choice(choices)
                started = tap(phone, code, round_id, value, deadline, tally)
                if started is None:
                    answered.add(round_id)
                    continue
                if index % 5 == 0:  # a double tap
                    tap(phone, code, round_id, value, deadline, tally)
                if index % 10 == 3:  # a change of mind
                    value = choices[(choices.index(value) + 1) % len(choices)]
                    started = tap(phone, code, round_id, value, deadline, tally) or started
                sent[(round_id, index)] = (started, value)
                answered.add(round_id)
                continue
            time.sleep(PHONE_POLL_SECONDS)  # what the page's script does between two checks
            try:
                status, answer = phone.state(code)
            except (OSError, HTTPException, ValueError):
                tally.retry("état injoignable")
                continue
            if status == 200 and answer.get("etat") != state:
                reopen(phone, code, deadline, tally)
                state = phone.page_state()
            elif status != 200:
                tally.retry(f"état HTTP {status}")
    except Exception as error:  # noqa: BLE001 - counted and printed: a benchmark reports, it does not stop
        with tally.lock:
            tally.errors.append(f"{type(error).__name__}: {error}")
    finally:
        phone.close()


def flood(base: str, code: str, done: Any, results: Any) -> None:
    """The flooding laptop (its own process): one token, then votes as fast as the server answers,
    until ``done`` (an Event) is set; the counts go back through ``results`` (a Queue)."""
    counts: dict[str, int] = {}
    phone = Phone(base, address=FLOODER)
    connection: HTTPConnection | None = None
    while not done.is_set():
        try:
            if connection is None:
                phone.open(code)
                round_id = phone.current_round()
                if round_id is None:
                    counts["pas de question"] = counts.get("pas de question", 0) + 1
                    time.sleep(0.2)
                    continue
                body, headers = phone.vote_form(round_id, "abaque-rouge")
                connection = HTTPConnection(
                    "127.0.0.1", int(base.rsplit(":", 1)[1]), timeout=10, source_address=(FLOODER, 0)
                )
            connection.request("POST", f"/s/{code}/vote", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            key = {303: "accepté", 429: "refusé (429)"}.get(response.status, f"HTTP {response.status}")
            counts[key] = counts.get(key, 0) + 1
            if response.status == 409:  # the trainer moved on: take the new question
                connection.close()
                connection = None
        except (OSError, HTTPException):
            counts["injoignable"] = counts.get("injoignable", 0) + 1
            if connection is not None:
                connection.close()
            connection = None
            time.sleep(0.2)
    results.put(counts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--votes", type=int, default=20, help="questions, hence votes per phone")
    parser.add_argument("--postgresql", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--restart", choices=["kill", "term", "none"], default="kill")
    parser.add_argument("--no-flood", action="store_true", help="without the flooding laptop")
    parser.add_argument("--deadline", type=float, default=900.0, help="seconds before the run stops whatever happens")
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
    flooder: multiprocessing.process.BaseProcess | None = None
    try:
        idle_rss, _ = memory_kib(server.pid)
        store = Store(url, data)
        code, secret = store.open_session()
        trainer = Trainer(store, code, secret)
        scale = content.scale_for("abaque")
        if scale is None:
            raise SystemExit("data/salle/ n'a pas d'échelle « abaque » : rien à mesurer.")
        choices = [c.id for c in scale.choices]
        watcher = Watcher(trainer, stop)
        watcher.start()
        deadline = time.monotonic() + args.deadline
        sent: dict = {}
        tokens: dict = {}
        tally = Tally()
        phones = [
            threading.Thread(
                target=phone_loop,
                args=(i, base, code, args.votes, choices, sent, tokens, tally, deadline, stop),
                daemon=True,
            )
            for i in range(args.participants)
        ]
        cpu = 0.0
        cpu_before = cpu_seconds(server.pid)
        started = time.monotonic()
        for phone in phones:
            phone.start()
        peaks = [idle_rss]
        statements = [s.text for s in content.load_statements()]
        round_ids: list[int] = []
        restart_round = args.votes // 2 if args.restart != "none" else -1
        downtime = 0.0
        spawn = multiprocessing.get_context("spawn")  # not fork: the phones' threads are running
        flood_results = spawn.Queue()
        flood_done = spawn.Event()
        for turn in range(args.votes):
            current = trainer.ask(Activity.ABAQUE, statements[turn % len(statements)])
            if turn == 0 and not args.no_flood:
                flooder = spawn.Process(target=flood, args=(base, code, flood_done, flood_results), daemon=True)
                flooder.start()
            asked = time.monotonic()
            round_ids.append(current.id)
            # The trainer waits until everyone answered (or 60 s), then shows the results.
            wait_until = min(deadline, time.monotonic() + 60)
            restarted = False
            while time.monotonic() < wait_until:
                with watcher.lock:
                    answered = len({p for (r, p, _) in watcher.seen if r == current.id})
                if turn == restart_round and not restarted and answered >= args.participants // 2:
                    cpu += cpu_seconds(server.pid) - cpu_before
                    peaks.append(memory_kib(server.pid)[1])
                    moment = time.monotonic()
                    server.restart(signal.SIGKILL if args.restart == "kill" else signal.SIGTERM)
                    downtime = time.monotonic() - moment
                    cpu_before = cpu_seconds(server.pid)
                    restarted = True
                    print(f"  [redémarrage du serveur ({args.restart}) : {downtime:.1f} s sans réponse]", flush=True)
                everyone = all((current.id, i) in sent for i in range(args.participants))
                if answered >= args.participants and everyone:
                    break
                peaks.append(memory_kib(server.pid)[0])
                time.sleep(0.1)
            print(f"  [tour {turn + 1} : {answered} réponses en {time.monotonic() - asked:.1f} s]", flush=True)
            time.sleep(POLL_SECONDS * 2)  # late double taps and changes of mind land
            trainer.reveal(current.id)
        for phone in phones:
            phone.join(timeout=max(1.0, deadline - time.monotonic()))
        time.sleep(POLL_SECONDS * 3)
        stop.set()
        watcher.join(timeout=10)
        flood_counts: dict[str, int] = {}
        if flooder is not None:
            flood_done.set()
            flood_counts = flood_results.get(timeout=30)
            flooder.join(timeout=10)
        duration = time.monotonic() - started
        cpu += cpu_seconds(server.pid) - cpu_before
        rss, hwm = memory_kib(server.pid)
        peaks.append(hwm)

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
                    not_sent += 1  # the phone never managed to vote (said below with the retries)
                    continue
                if not stored or number is None:  # no row (a phone without a number has none)
                    lost += 1
                    continue
                moment, value = sent[(round_id, index)]
                if stored[0] != value:
                    wrong_value += 1  # the last answer tapped is not the one kept
                    continue
                seen = watcher.seen.get((round_id, number, value))
                if seen is not None:
                    latencies.append(max(0.0, seen - moment))
        legit = set(number_of.values())
        strangers = {p for (_, p) in rows if p not in legit}
        flooder_rows = sum(len(v) for (_, p), v in rows.items() if p in strangers)

        print(
            f"Mode groupe — {args.participants} téléphones × {args.votes} votes, stockage {store.backend}, "
            f"inondation {'non' if args.no_flood else 'oui'}, redémarrage {args.restart}"
        )
        print(
            f"  durée {duration:6.1f} s, votes envoyés {len(sent)} (attendus {args.participants * args.votes},"
            f" non envoyés {not_sent})"
        )
        print(
            f"  votes perdus {lost}   votes en double {doubled}   réponse gardée différente de la dernière tapée {wrong_value}"
        )
        print(
            f"  personnes comptées {final.session.participants} ({len(legit)} téléphones + {len(strangers)} autre·s :"
            f" l'inondation, {flooder_rows} ligne(s) de vote, une au plus par question)"
        )
        if flood_counts:
            total = sum(flood_counts.values())
            detail = ", ".join(f"{k} {v}" for k, v in sorted(flood_counts.items()))
            refused = flood_counts.get("refusé (429)", 0)
            print(
                f"  inondation : {total} requêtes ({total / duration:.0f}/s), {100 * refused / total:.1f} % refusées — {detail}"
            )
        retries = ", ".join(f"{k} {v}" for k, v in sorted(tally.retries.items())) or "aucune"
        print(f"  nouvelles tentatives des téléphones : {retries}")
        if tally.errors:
            print(f"  erreurs : {len(tally.errors)} — {'; '.join(sorted(set(tally.errors))[:5])}")
        if latencies:
            print(
                f"  du vote à l'écran formateur : p50 {statistics.median(latencies):.2f} s   p95 {percentile(latencies, 0.95):.2f} s"
                f"   max {max(latencies):.2f} s   (n={len(latencies)}, lecture toutes les {POLL_SECONDS} s ;"
                f" p95 / objectif de 1 s = {percentile(latencies, 0.95):.2f})"
            )
        if tally.post_seconds:
            print(
                f"  envoi d'un vote (POST + page suivante) : p50 {statistics.median(tally.post_seconds) * 1000:.0f} ms"
                f"   p95 {percentile(tally.post_seconds, 0.95) * 1000:.0f} ms"
            )
        if watcher.redraw_seconds:
            print(
                f"  relecture de la séance + graphique par l'écran formateur : p50 {statistics.median(watcher.redraw_seconds) * 1000:.0f} ms"
                f"   p95 {percentile(watcher.redraw_seconds, 0.95) * 1000:.0f} ms   ({watcher.redraws} relectures)"
            )
        print(
            f"  serveur des participant·es : mémoire {idle_rss / 1024:.0f} Mio au repos, {max(peaks) / 1024:.0f} Mio au plus"
            f" (après redémarrage : {rss / 1024:.0f} Mio, pic {hwm / 1024:.0f} Mio) ; CPU {cpu:.1f} s sur {duration:.0f} s"
            f" ({100 * cpu / duration:.0f} % d'un cœur)"
        )
        print(
            f"  machine : {os.cpu_count()} cœurs, charge moyenne {os.getloadavg()[0]:.2f}, Python {platform.python_version()}"
        )
        store.close()
    finally:
        stop.set()
        if flooder is not None and flooder.is_alive():
            flooder.terminate()
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
