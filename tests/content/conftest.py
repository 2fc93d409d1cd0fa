"""Lets the content tests share helpers (tests/content is not a package)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
