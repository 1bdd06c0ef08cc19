"""`python -m ui`: start the web app (model and index load once for the process)."""

import logging
import sys

from corpus.load import CorpusError
from index.store import IndexStoreError, exit_now

from ui.app import launch

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        launch()
    except CorpusError as exc:
        sys.exit(f"無法啟動：{exc}")
    except IndexStoreError as exc:
        exit_now(f"無法啟動：{exc}")
