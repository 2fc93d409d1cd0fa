"""``python -m widgets.scorm [--chapitre 01-pairite]``: the chapters' SCORM packages (``make scorm``).

French progress lines, and a French message naming the file and the line — never a traceback — when a
chapter or a data file cannot become a package.
"""

from __future__ import annotations

import argparse
import sys

from widgets.data import REPO_ROOT, DataFileError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m widgets.scorm", description="Les paquets SCORM 1.2 des chapitres.")
    parser.add_argument("--chapitre", action="append", default=[], help="un chapitre (ex. 01-pairite) ; tous sinon")
    args = parser.parse_args(argv)
    from widgets.kit.chapters import chapter_paths
    from widgets.scorm.package import OUT_DIR, build_all

    paths = chapter_paths()
    if args.chapitre:
        known = {path.stem: path for path in paths}
        unknown = [name for name in args.chapitre if name not in known]
        if unknown:
            print(f"Chapitre inconnu : {', '.join(unknown)} (connus : {', '.join(known)}).", file=sys.stderr)
            return 1
        paths = tuple(known[name] for name in args.chapitre)
    print("Paquets SCORM 1.2 des chapitres…", flush=True)
    try:
        packages = build_all(OUT_DIR, paths)
    except DataFileError as error:
        print(f"Les paquets SCORM n'ont pas pu être fabriqués : {error}", file=sys.stderr)
        return 1
    for package in packages:
        size = package.path.stat().st_size / 1024
        print(f"  {package.path.relative_to(REPO_ROOT)} ({size:.0f} ko) : {package.title}", flush=True)
    print(f"Terminé : {len(packages)} paquets dans {OUT_DIR.relative_to(REPO_ROOT)}/ (voir docs/moodle.md).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
