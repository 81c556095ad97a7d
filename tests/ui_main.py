"""Entry file for NiceGUI's simulated-user tests (the ``user`` fixture runs it per test)."""

from nicegui import ui

from workshop.ui.app import create_app

create_app()
ui.run(storage_secret="test-storage-secret", language="fr")
