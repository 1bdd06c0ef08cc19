"""`python -m ui`: start the web app (model and index load once for the process)."""

import logging

from ui.app import launch

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    launch()
