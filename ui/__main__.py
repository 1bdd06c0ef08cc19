"""`python -m ui`: start the web app (model and index load once for the process).
`python -m ui trainer …`: trainer accounts and corpus versions (see `workspace/cli.py`)."""

import logging
import sys

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if sys.argv[1:2] == ["trainer"]:
        from workspace.cli import trainer

        trainer(args=sys.argv[2:], prog_name="python -m ui trainer")
    else:
        from corpus.load import CorpusError
        from index.store import IndexStoreError, exit_now
        from storage import StorageError
        from ui.app import launch

        try:
            launch()
        except (CorpusError, StorageError) as exc:
            sys.exit(f"無法啟動：{exc}")
        except IndexStoreError as exc:
            exit_now(f"無法啟動：{exc}")
