"""The trainers' workspace without any UI: accounts and sessions, the audit log, syllabus
previews, publishing and rolling back corpus versions. `ui/trainer.py` and the CLI
(`python -m ui trainer …`) both call this package; it never imports gradio."""
